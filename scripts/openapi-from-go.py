#!/usr/bin/env python3
"""Regenerate engine/openapi/v1.19.json: the OpenAPI v2 definitions of the kinds kubelab models (and everything they
reference), as kube-apiserver v1.19 serves them at /openapi/v2, from the Go API types at kubernetes/api and
kubernetes/apimachinery v0.19.4 (struct fields, json tags, +optional, patch tags and the generated swagger docs).

    python3 scripts/openapi-from-go.py <kubernetes/api git dir> <kubernetes/apimachinery git dir>

(Run once by hand against local clones; the JSON it writes is committed.)"""
import json, re, subprocess, sys

API, MACH = sys.argv[1], sys.argv[2]
TAG = "v0.19.4"

def show(repo, path):
    return subprocess.run(["git", "--git-dir", repo, "show", f"{TAG}:{path}"], capture_output=True, text=True, check=True).stdout

PKGS = {
    "io.k8s.api.core.v1": (API, "core/v1/types.go", "core/v1/types_swagger_doc_generated.go"),
    "io.k8s.api.apps.v1": (API, "apps/v1/types.go", "apps/v1/types_swagger_doc_generated.go"),
    "io.k8s.api.coordination.v1": (API, "coordination/v1/types.go", "coordination/v1/types_swagger_doc_generated.go"),
    "io.k8s.apimachinery.pkg.apis.meta.v1": (MACH, "pkg/apis/meta/v1/types.go", "pkg/apis/meta/v1/types_swagger_doc_generated.go"),
}
ALIAS = {"metav1": "io.k8s.apimachinery.pkg.apis.meta.v1", "v1": "io.k8s.api.core.v1", "corev1": "io.k8s.api.core.v1"}
SPECIAL = {
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": ("pkg/apis/meta/v1/time.go", "Time", {"type": "string", "format": "date-time"}),
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": ("pkg/apis/meta/v1/micro_time.go", "MicroTime", {"type": "string", "format": "date-time"}),
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": ("pkg/util/intstr/intstr.go", "IntOrString", {"type": "string", "format": "int-or-string"}),
    "io.k8s.apimachinery.pkg.api.resource.Quantity": ("pkg/api/resource/quantity.go", "Quantity", {"type": "string"}),
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": ("pkg/apis/meta/v1/types.go", "FieldsV1", {"type": "object"}),
}
PRIM = {"string": ("string", None), "bool": ("boolean", None), "int32": ("integer", "int32"), "int64": ("integer", "int64"), "int": ("integer", "int32"),
        "float64": ("number", "double"), "float32": ("number", "float"), "uint64": ("integer", "int64"), "byte": ("integer", None)}

def go_string(lit):
    return json.loads(lit.replace("\\'", "'"))

def doc_comment(src, name):
    m = re.search(r"((?:^//[^\n]*\n)+)type " + re.escape(name) + r" ", src, re.M)
    if not m:
        return ""
    lines = [l[2:].strip() for l in m.group(1).splitlines()]
    lines = [l for l in lines if not l.startswith("+") and not l.startswith("---") and not l.startswith("TODO")]
    text = " ".join(l for l in lines if l)
    return text

structs, named, docs, sources = {}, {}, {}, {}
for pkg, (repo, types, swagger) in PKGS.items():
    src = show(repo, types)
    sources[pkg] = src
    for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", src, re.M | re.S):
        structs[f"{pkg}.{m.group(1)}"] = m.group(2)
    for m in re.finditer(r"^type (\w+) ([\w.\[\]*]+)\s*$", src, re.M):
        named[f"{pkg}.{m.group(1)}"] = m.group(2)
    sw = show(repo, swagger)
    for m in re.finditer(r"^var map_(\w+) = map\[string\]string\{\n(.*?)^\}", sw, re.M | re.S):
        d = {}
        for fm in re.finditer(r'^\t"([^"]*)":\s*("(?:[^"\\]|\\.)*"),\s*$', m.group(2), re.M):
            d[fm.group(1)] = go_string(fm.group(2))
        docs[f"{pkg}.{m.group(1)}"] = d

defs, queue = {}, []

def type_schema(t, pkg):
    t = t.lstrip("*")
    if t.startswith("[]"):
        inner = t[2:]
        if inner == "byte":
            return {"type": "string", "format": "byte"}
        return {"type": "array", "items": type_schema(inner, pkg)}
    if t.startswith("map["):
        val = t[t.index("]") + 1:]
        return {"type": "object", "additionalProperties": type_schema(val, pkg)}
    if t in PRIM:
        ty, fmt = PRIM[t]
        return {"type": ty, **({"format": fmt} if fmt else {})}
    if t == "types.UID":
        return {"type": "string"}
    if "." in t:
        alias, name = t.split(".", 1)
        full = {"intstr": "io.k8s.apimachinery.pkg.util.intstr", "resource": "io.k8s.apimachinery.pkg.api.resource"}.get(alias, ALIAS.get(alias, alias)) + "." + name
    else:
        full = f"{pkg}.{t}"
    if full in SPECIAL or full in structs:
        if full not in defs and full not in queue:
            queue.append(full)
        return {"$ref": f"#/definitions/{full}"}
    if full in named:
        return type_schema(named[full], full.rsplit(".", 1)[0])
    raise SystemExit(f"unknown type {t} in {pkg}")

FIELD = re.compile(r"^\t(\w+)?\s*([\w.\[\]*]+(?:\[[\w.]+\][\w.\[\]*]+)?)\s+`([^`]*)`")

def build(full):
    if full in SPECIAL:
        path, name, base = SPECIAL[full]
        d = doc_comment(show(MACH, path), name)
        defs[full] = {"description": d, **base}
        return
    pkg, name = full.rsplit(".", 1)
    body = structs[full]
    doc = docs.get(full, {})
    props, required = {}, []
    comments = []
    for line in body.splitlines():
        s = line.strip()
        if s.startswith("//"):
            comments.append(s[2:].strip())
            continue
        em = re.match(r"^\t([\w.]+)\s+`([^`]*)`", line)
        m = FIELD.match(line) if not em else None
        if em:
            fname, ftype, tags = None, em.group(1), em.group(2)
        elif not m:
            comments = []
            continue
        else:
            fname, ftype, tags = m.group(1), m.group(2), m.group(3)
        if fname is None:  # embedded: `metav1.TypeMeta `json:",inline"``
            fname, ftype = ftype.split(".")[-1], ftype
        jm = re.search(r'json:"([^"]*)"', tags)
        jtag = jm.group(1) if jm else fname
        jname, *opts = jtag.split(",")
        if jname == "-":
            comments = []
            continue
        if "inline" in opts:
            inner = type_schema(ftype, pkg)["$ref"].split("/")[-1]
            if inner in queue and inner not in defs:
                queue.remove(inner)  # (put back below if anything else refers to it)
            sub = {}
            build_into(inner, sub)
            props.update(sub["properties"])
            required += sub.get("required", [])
            comments = []
            continue
        sch = type_schema(ftype, pkg)
        if jname in doc:
            if "$ref" in sch:
                sch = {"$ref": sch["$ref"], "description": doc[jname]}
            else:
                sch = {"description": doc[jname], **sch}
        pm = re.search(r'patchStrategy:"([^"]*)"', tags)
        km = re.search(r'patchMergeKey:"([^"]*)"', tags)
        for c in comments:
            if c.startswith("+listType="):
                sch["x-kubernetes-list-type"] = c.split("=", 1)[1]
            elif c.startswith("+listMapKey="):
                sch.setdefault("x-kubernetes-list-map-keys", []).append(c.split("=", 1)[1])
        if km:
            sch["x-kubernetes-patch-merge-key"] = km.group(1)
        if pm:
            sch["x-kubernetes-patch-strategy"] = pm.group(1)
        optional = "omitempty" in opts or any(c.startswith("+optional") for c in comments)
        if not optional:
            required.append(jname)
        props[jname] = sch
        comments = []
    out = {}
    if doc.get(""):
        out["description"] = doc[""]
    if required:
        out["required"] = required
    out["type"] = "object"
    out["properties"] = dict(sorted(props.items()))
    defs[full] = out

def build_into(full, target):
    had = full in defs
    saved = defs.get(full)
    build(full)
    target.update(defs[full])
    if had:
        defs[full] = saved
    else:
        del defs[full]
        inlined.add(full)

inlined = set()

KINDS = [("io.k8s.api.core.v1", "", "Pod"), ("io.k8s.api.core.v1", "", "Service"), ("io.k8s.api.core.v1", "", "Endpoints"),
         ("io.k8s.api.core.v1", "", "Node"), ("io.k8s.api.core.v1", "", "Namespace"), ("io.k8s.api.core.v1", "", "Event"),
         ("io.k8s.api.apps.v1", "apps", "Deployment"), ("io.k8s.api.apps.v1", "apps", "ReplicaSet"), ("io.k8s.api.apps.v1", "apps", "DaemonSet"),
         ("io.k8s.api.core.v1", "", "ServiceAccount"), ("io.k8s.api.core.v1", "", "Secret"), ("io.k8s.api.coordination.v1", "coordination.k8s.io", "Lease")]
for pkg, _g, k in KINDS:
    queue.append(f"{pkg}.{k}")
while queue:
    build(queue.pop(0))
# a type inlined somewhere and referenced elsewhere still needs its own definition
referenced = set(re.findall(r'"#/definitions/([^"]+)"', json.dumps(defs)))
while referenced - set(defs):
    for full in sorted(referenced - set(defs)):
        build(full)
    while queue:
        build(queue.pop(0))
    referenced = set(re.findall(r'"#/definitions/([^"]+)"', json.dumps(defs)))
for pkg, g, k in KINDS:
    defs[f"{pkg}.{k}"]["x-kubernetes-group-version-kind"] = [{"group": g, "kind": k, "version": "v1"}]
# Scale (autoscaling/v1), served by the scale subresource
defs["io.k8s.api.autoscaling.v1.Scale"] = {"description": "Scale represents a scaling request for a resource.", "type": "object",
    "properties": {"apiVersion": defs["io.k8s.api.core.v1.Pod"]["properties"]["apiVersion"], "kind": defs["io.k8s.api.core.v1.Pod"]["properties"]["kind"],
                   "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "description": "Standard object metadata; More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata."},
                   "spec": {"type": "object", "properties": {"replicas": {"type": "integer", "format": "int32", "description": "desired number of instances for the scaled object."}}},
                   "status": {"type": "object", "required": ["replicas"], "properties": {"replicas": {"type": "integer", "format": "int32", "description": "actual number of observed instances of the scaled object."}, "selector": {"type": "string", "description": "label query over pods that should match the replicas count. This is same as the label selector but in the string format to avoid introspection by the clients. The string will be in the same format as the query-param syntax. More info about label selectors: http://kubernetes.io/docs/user-guide/labels#label-selectors"}}}},
    "x-kubernetes-group-version-kind": [{"group": "autoscaling", "kind": "Scale", "version": "v1"}]}
out = {k: defs[k] for k in sorted(defs)}
with open("engine/openapi/v1.19.json", "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"), ensure_ascii=False)
    f.write("\n")
print(len(out), "definitions")
