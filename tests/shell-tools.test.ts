// The everyday tools of the lab terminal, against what GNU sed 4.2 / coreutils 8.22 / diffutils 3.3 / findutils
// 4.5 print (the expected texts were taken from the real tools on the same inputs): sed, cp, mv, touch, find,
// diff, base64, xargs, watch, history, help.
import { beforeEach, describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

let c: Cluster;
const sh = (line: string, opts: { host?: string; stdin?: string; history?: string[] } = {}) => c.exec(line, opts);
const out = (stdout: string, exitCode = 0) => ({ stdout, stderr: "", exitCode });
const err = (stderr: string, exitCode = 1, stdout = "") => ({ stdout, stderr, exitCode });

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
`;

beforeEach(() => {
  c = Cluster.create({ seed: 5 });
  c.writeFile("web.yaml", WEB);
});

describe("sed", () => {
  it("s/// with flags, -n with p, d, addresses and ranges", () => {
    expect(sh("sed 's/replicas: 1/replicas: 3/' web.yaml").stdout).toBe(WEB.replace("replicas: 1", "replicas: 3"));
    expect(sh("sed -n '/spec:/p' web.yaml")).toEqual(out("spec:\n    spec:\n"));
    expect(sh("sed -n '2,4p' web.yaml")).toEqual(out("kind: Deployment\nmetadata:\n  name: web\n"));
    expect(sh("sed '3,$d' web.yaml")).toEqual(out("apiVersion: apps/v1\nkind: Deployment\n"));
    expect(sh("sed '$!d' web.yaml")).toEqual(out("        name: nginx\n"));
    expect(sh("sed -n '$=' web.yaml")).toEqual(out("17\n"));
    expect(sh("sed '2q' web.yaml")).toEqual(out("apiVersion: apps/v1\nkind: Deployment\n"));
    expect(sh("sed -n '/metadata/{n;p}' web.yaml")).toEqual(out("  name: web\n      labels:\n"));
    expect(sh("sed '/template/,/spec/ s/^/# /' web.yaml").stdout).toBe(
      WEB.replace("  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n", "#   template:\n#     metadata:\n#       labels:\n#         app: web\n#     spec:\n"),
    );
    expect(sh("sed -E 's/(name): (.*)/\\1=\\2/;/^kind/d' web.yaml").stdout).toBe(WEB.replace("kind: Deployment\n", "").replace("name: web", "name=web").replace("name: nginx", "name=nginx"));
    expect(sh("sed -e 's/web/demo/g' -e '/^kind/d' web.yaml").stdout).toBe(WEB.replace("kind: Deployment\n", "").replace(/web/g, "demo"));
    expect(sh("echo banana | sed 's/a/A/2'")).toEqual(out("banAna\n"));
    expect(sh("echo banana | sed 's/a/A/2g'")).toEqual(out("banAnA\n"));
    expect(sh("echo Hello | sed 's/hello/bye/I'")).toEqual(out("bye\n"));
    expect(sh("echo abc | sed 'y/abc/xyz/'")).toEqual(out("xyz\n"));
    expect(sh("printf 'a\\nb' | sed 's/b/c/'")).toEqual(out("a\nc"));
  });
  it("a, i, c and -i in place (with a backup suffix)", () => {
    expect(sh("sed '/kind/a\\  # added' web.yaml").stdout).toBe(WEB.replace("kind: Deployment\n", "kind: Deployment\n  # added\n"));
    expect(sh("sed '1i# top' web.yaml").stdout).toBe("# top\n" + WEB);
    expect(sh("sed '/replicas/c\\  replicas: 5' web.yaml").stdout).toBe(WEB.replace("replicas: 1", "replicas: 5"));
    expect(sh("sed -i 's/replicas: 1/replicas: 3/' web.yaml")).toEqual(out(""));
    expect(c.readFile("web.yaml")).toBe(WEB.replace("replicas: 1", "replicas: 3"));
    expect(sh("sed -i.bak 's/nginx/httpd/g' web.yaml")).toEqual(out(""));
    expect(c.readFile("web.yaml.bak")).toBe(WEB.replace("replicas: 1", "replicas: 3"));
    expect(c.readFile("web.yaml")).toContain("- image: httpd\n        name: httpd\n");
  });
  it("GNU's addresses first~step, addr,+N, addr,~N and 0,/re/; \\U \\L \\u \\l \\E; empty matches; -s; a file without a last line end", () => {
    c.writeFile("a.txt", "one\ntwo\nthree\nfour\nfive\nsix\n");
    c.writeFile("nonl.txt", "x\ny");
    // (expected texts from GNU sed 4.9 on the same files; 4.2 agrees on these)
    expect(sh("sed -n '2~3p' a.txt")).toEqual(out("two\nfive\n"));
    expect(sh("sed '0~3d' a.txt")).toEqual(out("one\ntwo\nfour\nfive\n"));
    expect(sh("sed -n '1~0p' a.txt")).toEqual(out("one\n"));
    expect(sh("sed '/two/,+1s/^/#/' a.txt")).toEqual(out("one\n#two\n#three\nfour\nfive\nsix\n"));
    expect(sh("sed -n '1,+p' a.txt")).toEqual(out("one\n"));
    expect(sh("sed -n '2,~4p' a.txt")).toEqual(out("two\nthree\nfour\n"));
    expect(sh("sed -n '4,~4p' a.txt")).toEqual(out("four\nfive\nsix\n"));
    expect(sh("sed '0,/one/d' a.txt")).toEqual(out("two\nthree\nfour\nfive\nsix\n"));
    expect(sh("sed '1,/one/d' a.txt")).toEqual(out(""));
    expect(sh("sed -n '0p' a.txt")).toEqual(err("sed: -e expression #1, char 2: invalid usage of line address 0\n"));
    expect(sh("echo 'hello world' | sed 's/\\w\\+/\\u&/g'")).toEqual(out("Hello World\n"));
    expect(sh("sed -E 's/(.)(.*)/\\2\\U\\1/' a.txt")).toEqual(out("neO\nwoT\nhreeT\nourF\niveF\nixS\n"));
    expect(sh("echo 'Foo Bar' | sed 's/.*/\\L&/'")).toEqual(out("foo bar\n"));
    expect(sh("echo ABC | sed 's/\\(A\\)\\(B\\)/\\L\\u\\1\\2/'")).toEqual(out("AbC\n"));
    expect(sh("echo abc | sed 's/\\(a\\)\\(b\\)/\\u\\L\\1\\2/'")).toEqual(out("abc\n")); // \\L after \\u cancels it, in GNU's too
    expect(sh("sed 's/o/\\Ux\\Ey/g' a.txt")).toEqual(out("Xyne\ntwXy\nthree\nfXyur\nfive\nsix\n"));
    expect(sh("echo hello | sed 's/l*/X/g'")).toEqual(out("XhXeXoX\n"));
    expect(sh("echo baaac | sed 's/a*/x/2'")).toEqual(out("bxc\n"));
    expect(sh("sed -s -n '$p' a.txt nonl.txt")).toEqual(out("six\ny"));
    expect(sh("sed -n '$p' nonl.txt a.txt")).toEqual(out("six\n"));
    expect(sh("sed p nonl.txt a.txt").stdout).toBe("x\nx\ny\ny\none\none\ntwo\ntwo\nthree\nthree\nfour\nfour\nfive\nfive\nsix\nsix\n");
    expect(sh("sed '$a end' nonl.txt")).toEqual(out("x\ny\nend\n"));
    expect(sh("sed -n '$p' nonl.txt")).toEqual(out("y"));
  });
  it("errors as GNU sed words them", () => {
    expect(sh("sed 's/x/y' web.yaml")).toEqual(err("sed: -e expression #1, char 5: unterminated `s' command\n"));
    expect(sh("sed 'k' web.yaml")).toEqual(err("sed: -e expression #1, char 1: unknown command: `k'\n"));
    expect(sh("sed p nofile")).toEqual(err("sed: can't read nofile: No such file or directory\n", 2));
    expect(sh("sed 'x' web.yaml")).toEqual(err("sed: -e expression #1, char 1: kubelab's sed does not support the `x' command\n"));
    expect(sh("sed --posix p web.yaml").stderr).toMatch(/^sed: kubelab's sed does not support the option --posix\n/);
  });
});

describe("cp, mv, touch, find", () => {
  it("copy, move and create files; GNU's messages", () => {
    expect(sh("cp web.yaml web2.yaml && mv web2.yaml /tmp/ && ls /tmp")).toEqual(out("web2.yaml\n"));
    expect(c.readFile("/tmp/web2.yaml")).toBe(WEB);
    expect(sh("cp -v web.yaml copy.yaml")).toEqual(out("'web.yaml' -> 'copy.yaml'\n"));
    expect(sh("touch new.txt && cat new.txt && ls")).toEqual(out("copy.yaml  new.txt  web.yaml\n"));
    expect(sh("cp nofile x")).toEqual(err("cp: cannot stat 'nofile': No such file or directory\n"));
    expect(sh("cp web.yaml")).toEqual(err("cp: missing destination file operand after 'web.yaml'\nTry 'cp --help' for more information.\n"));
    expect(sh("mv nofile x")).toEqual(err("mv: cannot stat 'nofile': No such file or directory\n"));
    expect(sh("touch /nodir/x")).toEqual(err("touch: cannot touch '/nodir/x': No such file or directory\n"));
    // a destination that names a directory (a trailing /) must be one (coreutils 9.1's words)
    expect(sh("cp web.yaml nodir/")).toEqual(err("cp: cannot create regular file 'nodir/': Not a directory\n"));
    expect(sh("mv web.yaml nodir/")).toEqual(err("mv: cannot move 'web.yaml' to 'nodir/': Not a directory\n"));
    expect(sh("cp web.yaml new.txt/")).toEqual(err("cp: cannot stat 'new.txt/': Not a directory\n"));
    expect(sh("ls")).toEqual(out("copy.yaml  new.txt  web.yaml\n"));
    // a new directory lists empty (mkdir's placeholder is not a file), then what was copied into it
    expect(sh("mkdir d && ls d && cp web.yaml copy.yaml d/ && ls d")).toEqual(out("copy.yaml  web.yaml\n"));
    expect(sh("touch .hidden && ls && ls -a")).toEqual(out("copy.yaml  d  new.txt  web.yaml\n.  ..  .hidden  copy.yaml  d  new.txt  web.yaml\n"));
    // a directory into itself (coreutils 9.1's words)
    expect(sh("mkdir -p z/q && mv z z/q")).toEqual(err("mv: cannot move 'z' to a subdirectory of itself, 'z/q/z'\n"));
    expect(sh("cp -r z z")).toEqual(err("cp: cannot copy a directory, 'z', into itself, 'z/z'\n"));
    expect(sh("find z")).toEqual(out("z\nz/q\n"));
  });
  it("-i asks on stderr and reads the answer from stdin (no answer: the file stays); rm -r takes a directory", () => {
    c.writeFile("b.txt", "2\n");
    c.writeFile("empty", "");
    expect(sh("cp -i web.yaml b.txt < empty; cat b.txt")).toEqual({ stdout: "2\n", stderr: "cp: overwrite 'b.txt'? ", exitCode: 0 });
    expect(sh("echo n | cp -i web.yaml b.txt; cat b.txt")).toEqual({ stdout: "2\n", stderr: "cp: overwrite 'b.txt'? ", exitCode: 0 });
    expect(sh("echo y | cp -if web.yaml b.txt; head -1 b.txt")).toEqual({ stdout: "apiVersion: apps/v1\n", stderr: "cp: overwrite 'b.txt'? ", exitCode: 0 });
    expect(sh("cp web.yaml c.txt && mv -if web.yaml c.txt < empty && ls")).toEqual(out("b.txt  c.txt  empty\n"));
    expect(sh("echo n | rm -i empty; echo y | rm -i b.txt; ls")).toEqual({ stdout: "c.txt  empty\n", stderr: "rm: remove regular empty file 'empty'? rm: remove regular file 'b.txt'? ", exitCode: 0 });
    expect(sh("mkdir z && touch z/f && rm z")).toEqual(err("rm: cannot remove 'z': Is a directory\n"));
    expect(sh("rm -rf z nofile && ls")).toEqual(out("c.txt  empty\n"));
    expect(sh("mkdir y && echo n | rm -ri y; ls")).toEqual({ stdout: "c.txt  empty  y\n", stderr: "rm: remove directory 'y'? ", exitCode: 0 });
    expect(sh("rm -x c.txt")).toEqual(err("rm: invalid option -- 'x'\nTry 'rm --help' for more information.\n"));
  });
  it("find by name and type", () => {
    sh("mkdir manifests && cp web.yaml manifests/a.yaml && touch manifests/notes.txt");
    expect(sh("find . -name '*.yaml'")).toEqual(out("./manifests/a.yaml\n./web.yaml\n"));
    expect(sh("find manifests -type f")).toEqual(out("manifests/a.yaml\nmanifests/notes.txt\n"));
    expect(sh("find . -maxdepth 1 -type d")).toEqual(out(".\n./manifests\n"));
    expect(sh("find /nope")).toEqual(err("find: ‘/nope’: No such file or directory\n"));
    expect(sh("find . -newer web.yaml").stderr).toMatch(/^find: kubelab's find does not support -newer/);
    // ! and -not negate the next test ('!' used to be taken for a path)
    expect(sh("find . ! -name '*.yaml'")).toEqual(out(".\n./manifests\n./manifests/notes.txt\n"));
    expect(sh("find manifests -not -type d")).toEqual(out("manifests/a.yaml\nmanifests/notes.txt\n"));
    expect(sh("find . -maxdepth x")).toEqual(err("find: Expected a positive decimal integer argument to -maxdepth, but got ‘x’\n"));
    expect(sh("find . '(' -name a ')'").stderr).toBe("find: kubelab's find does not support parentheses\n");
  });
  it("touch: -c creates nothing; options that set a time say they are not supported (they used to become file names)", () => {
    expect(sh("touch -c nofile; ls nofile")).toEqual(err("ls: cannot access nofile: No such file or directory\n", 2));
    expect(sh("touch -d 2020-01-01 web.yaml")).toEqual(err("touch: kubelab's touch does not support -d (it keeps no file times)\n"));
    expect(sh("touch -t 202001010000 web.yaml")).toEqual(err("touch: kubelab's touch does not support -t (it keeps no file times)\n"));
    expect(sh("touch --reference=web.yaml x")).toEqual(err("touch: kubelab's touch does not support --reference (it keeps no file times)\n"));
    expect(sh("touch -x web.yaml")).toEqual(err("touch: invalid option -- 'x'\nTry 'touch --help' for more information.\n"));
    expect(sh("touch -am web.yaml new && ls")).toEqual(out("new  web.yaml\n"));
  });
});

describe("diff", () => {
  it("normal and unified formats, exit 1 on a difference, 0 when equal, 2 on trouble", () => {
    sh("sed 's/replicas: 1/replicas: 3/' web.yaml > w2.yaml");
    expect(sh("diff web.yaml w2.yaml")).toEqual(out("6c6\n<   replicas: 1\n---\n>   replicas: 3\n", 1));
    const when = "2021-12-05 16:00:00.000000000 +0000";
    expect(sh("diff -u web.yaml w2.yaml")).toEqual(
      out(`--- web.yaml\t${when}\n+++ w2.yaml\t${when}\n@@ -3,7 +3,7 @@\n metadata:\n   name: web\n spec:\n-  replicas: 1\n+  replicas: 3\n   selector:\n     matchLabels:\n       app: web\n`, 1),
    );
    sh("seq 1 10 > a; seq 1 12 | sed 5d > b");
    expect(sh("diff a b")).toEqual(out("5d4\n< 5\n10a10,11\n> 11\n> 12\n", 1));
    expect(sh("diff -u a b").stdout.split("\n").slice(2).join("\n")).toBe("@@ -2,9 +2,10 @@\n 2\n 3\n 4\n-5\n 6\n 7\n 8\n 9\n 10\n+11\n+12\n");
    expect(sh("diff web.yaml web.yaml")).toEqual(out(""));
    expect(sh("diff -q a b")).toEqual(out("Files a and b differ\n", 1));
    expect(sh("diff web.yaml nofile")).toEqual(err("diff: nofile: No such file or directory\n", 2));
  });
  it("a last line without its line end differs from one with it, and the mark follows that line (diffutils 3.8's output)", () => {
    c.writeFile("c", "x\ny");
    c.writeFile("d", "x\ny\n");
    c.writeFile("f", "x\nz");
    expect(sh("diff c d")).toEqual(out("2c2\n< y\n\\ No newline at end of file\n---\n> y\n", 1));
    expect(sh("diff -u c d").stdout.split("\n").slice(2).join("\n")).toBe("@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n");
    expect(sh("diff c f")).toEqual(out("2c2\n< y\n\\ No newline at end of file\n---\n> z\n\\ No newline at end of file\n", 1));
    c.writeFile("g", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10");
    c.writeFile("h", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10");
    expect(sh("diff -u g h").stdout.split("\n").slice(2).join("\n")).toBe("@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n");
    expect(sh("diff -U 1 g d").stdout.split("\n").slice(2).join("\n")).toBe(
      "@@ -1,10 +1,2 @@\n-1\n-2\n-3\n-4\n-5\n-6\n-7\n-8\n-9\n-10\n\\ No newline at end of file\n+x\n+y\n",
    );
  });
});

describe("base64", () => {
  it("encodes in 76-column lines, decodes, and says so on bad input", () => {
    expect(sh("base64 web.yaml")).toEqual(
      out(
        "YXBpVmVyc2lvbjogYXBwcy92MQpraW5kOiBEZXBsb3ltZW50Cm1ldGFkYXRhOgogIG5hbWU6IHdl\nYgpzcGVjOgogIHJlcGxpY2FzOiAxCiAgc2VsZWN0b3I6CiAgICBtYXRjaExhYmVsczoKICAgICAg\nYXBwOiB3ZWIKICB0ZW1wbGF0ZToKICAgIG1ldGFkYXRhOgogICAgICBsYWJlbHM6CiAgICAgICAg\nYXBwOiB3ZWIKICAgIHNwZWM6CiAgICAgIGNvbnRhaW5lcnM6CiAgICAgIC0gaW1hZ2U6IG5naW54\nCiAgICAgICAgbmFtZTogbmdpbngK\n",
      ),
    );
    expect(sh("echo -n admin | base64")).toEqual(out("YWRtaW4=\n"));
    expect(sh("echo YWRtaW4= | base64 -d")).toEqual(out("admin"));
    expect(sh("echo 'aGVsbG8K!' | base64 -d")).toEqual(err("base64: invalid input\n", 1, "hello\n"));
    expect(sh("echo hello | base64 -w 4")).toEqual(out("aGVs\nbG8K\n"));
    expect(sh("base64 web.yaml | base64 -d").stdout).toBe(WEB);
  });
  it("-w 0 writes one line without a line end; -d decodes four characters at a time and stops at what GNU's refuses", () => {
    expect(sh("echo hello world | base64 -w0")).toEqual(out("aGVsbG8gd29ybGQK"));
    expect(sh("echo hello world | base64 --wrap=0")).toEqual(out("aGVsbG8gd29ybGQK"));
    // (coreutils 9.1's answers: the bytes decoded before the trouble, then the refusal)
    expect(sh("printf YQ== | base64 -d")).toEqual(out("a"));
    expect(sh("printf YQ==YQ== | base64 -d")).toEqual(out("aa"));
    expect(sh("printf YQ | base64 -d")).toEqual(err("base64: invalid input\n", 1, "a"));
    expect(sh("printf YQ= | base64 -d")).toEqual(err("base64: invalid input\n", 1, "a"));
    expect(sh("printf Y | base64 -d")).toEqual(err("base64: invalid input\n", 1));
    expect(sh("printf aGVsbG8=== | base64 -d")).toEqual(err("base64: invalid input\n", 1, "hello"));
    expect(sh("printf YWJj= | base64 -d")).toEqual(err("base64: invalid input\n", 1, "abc"));
    expect(sh("printf 'aGVs bG8=' | base64 -d")).toEqual(err("base64: invalid input\n", 1, "hel"));
    expect(sh("printf 'aGVs bG8=' | base64 -di")).toEqual(out("hello"));
    expect(sh("printf 'aGVs\\nbG8=' | base64 -d")).toEqual(out("hello"));
  });
});

describe("printf and echo -e (bash 4.2's builtins)", () => {
  it("conversions with flags, width and precision; the format is reused while arguments remain", () => {
    expect(sh("printf '%s\\n' a b c")).toEqual(out("a\nb\nc\n"));
    expect(sh("printf '%s %s\\n' 1 2 3")).toEqual(out("1 2\n3 \n"));
    expect(sh("printf '%-5s|%5s|%.2s|\\n' ab cd abcdef")).toEqual(out("ab   |   cd|ab|\n"));
    expect(sh("printf '%05d %x %X %o %#x %+d %u\\n' 42 255 255 8 255 7 -1")).toEqual(out("00042 ff FF 10 0xff +7 18446744073709551615\n"));
    expect(sh("printf '%d %d %d\\n' 0x10 010 \"'A\"")).toEqual(out("16 8 65\n"));
    expect(sh("printf '%.3f %e %g %g %g %5.1f%%\\n' 3.14159 12345.678 0.0001 123456789 100 99.44")).toEqual(out("3.142 1.234568e+04 0.0001 1.23457e+08 100  99.4%\n"));
    expect(sh("printf '%*d|%-*d|%c\\n' 5 1 4 2 hello")).toEqual(out("    1|2   |h\n"));
    expect(sh("printf 'no arguments: %s.\\n'")).toEqual(out("no arguments: .\n"));
  });
  it("escapes are read in the format, in a %b argument, not in a %s one", () => {
    expect(sh("printf '\\x41\\101\\u00e9\\t.\\n'")).toEqual(out("AAé\t.\n"));
    expect(sh("printf '%b|%s\\n' 'a\\tb' 'a\\tb'")).toEqual(out("a\tb|a\\tb\n"));
    expect(sh("echo -e 'a\\x41\\0101\\tz'")).toEqual(out("aAA\tz\n"));
    expect(sh("echo -e 'cut\\chere'; echo -E 'a\\tb'")).toEqual(out("cuta\\tb\n"));
  });
  it("bad input: bash's words and exit status", () => {
    expect(sh("printf '%d\\n' abc")).toEqual(err("bash: printf: abc: invalid number\n", 1, "0\n"));
    expect(sh("printf '%z'")).toEqual(err("bash: printf: `z': invalid format character\n"));
    expect(sh("printf")).toEqual(err("bash: printf: usage: printf [-v var] format [arguments]\n", 2));
  });
});

describe("head and tail counts; /dev/null", () => {
  beforeEach(() => c.writeFile("a.txt", "hello world\nsecond line\nthird\n"));
  it("-c counts bytes (-c N, -cN, --bytes=N); head's negative count leaves the last ones out; tail's +N starts there", () => {
    expect(sh("head -c 5 a.txt")).toEqual(out("hello"));
    expect(sh("head -c3 a.txt")).toEqual(out("hel"));
    expect(sh("head --bytes=11 a.txt")).toEqual(out("hello world"));
    expect(sh("head -c -3 a.txt")).toEqual(out("hello world\nsecond line\nthi"));
    expect(sh("head -n -1 a.txt")).toEqual(out("hello world\nsecond line\n"));
    expect(sh("head -2 a.txt")).toEqual(out("hello world\nsecond line\n"));
    expect(sh("tail -c 6 a.txt")).toEqual(out("third\n"));
    expect(sh("tail -c +7 a.txt")).toEqual(out("world\nsecond line\nthird\n"));
    expect(sh("printf 'é!' | head -c 2")).toEqual(out("é")); // two bytes: one character
  });
  it("a bad count is refused in GNU's words", () => {
    expect(sh("head -c x a.txt")).toEqual(err("head: invalid number of bytes: ‘x’\n"));
    expect(sh("tail -n q a.txt")).toEqual(err("tail: invalid number of lines: ‘q’\n"));
  });
  it("/dev/null reads as empty: as a file, as stdin", () => {
    expect(sh("cat /dev/null")).toEqual(out(""));
    expect(sh("wc -l < /dev/null")).toEqual(out("0\n"));
    expect(sh("cat a.txt /dev/null | wc -l")).toEqual(out("3\n"));
  });
});

describe("xargs, watch, history, help", () => {
  it("xargs builds command lines from stdin", () => {
    expect(sh("echo a b c | xargs -n 1 echo -")).toEqual(out("- a\n- b\n- c\n"));
    expect(sh("printf 'x\\ny\\n' | xargs -I {} echo [{}]")).toEqual(out("[x]\n[y]\n"));
    expect(sh(`echo '"a b" c' | xargs -t echo`)).toEqual({ stdout: "a b c\n", stderr: "echo 'a b' c\n", exitCode: 0 });
    expect(sh("echo x | xargs nosuch")).toEqual(err("xargs: nosuch: No such file or directory\n", 127));
    // -L N: N input lines per command line (it used to split the words one by one, as -n)
    expect(sh("printf 'a b\\nc\\nd e f\\n' | xargs -L 2 echo")).toEqual(out("a b c\nd e f\n"));
    expect(sh("printf 'a b\\n\\nc\\n' | xargs -L1 echo")).toEqual(out("a b\nc\n"));
    expect(sh("printf 'a b\\nc\\n' | xargs -l echo")).toEqual(out("a b\nc\n"));
    expect(sh("printf 'a b\\nc\\n' | xargs -P 2 echo")).toEqual(err("xargs: kubelab's xargs does not support the option -P (it has -n, -L, -I, -r, -t, -0, -d)\n"));
    sh("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2");
    expect(sh("kubectl get pods -o name | xargs kubectl delete").stdout).toMatch(/^pod "web-[a-z0-9]+-[a-z0-9]{5}" deleted\npod "web-[a-z0-9]+-[a-z0-9]{5}" deleted\n$/);
  });
  it("watch reruns as the virtual clock advances and prints the last screen", () => {
    const before = c.nowSeconds();
    sh("kubectl create deployment web --image=ikubernetes/demoapp:v1.0");
    const r = sh("watch -n 5 kubectl get deploy");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Every 5\.0s: kubectl get deploy {26}Sun Dec {2}5 16:00:\d\d 2021\n\nNAME {3}READY {3}UP-TO-DATE {3}AVAILABLE {3}AGE\nweb {4}1\/1 {5}1 {12}1 {11}\d+s\n$/);
    expect(c.nowSeconds()).toBeGreaterThan(before);
    expect(sh("watch -t -n 1 echo hi")).toEqual(out("hi\n"));
    expect(sh("watch -g kubectl get pods")).toEqual(err("watch: kubelab's watch does not support -g (it has -n, -t, -d, -x, -c)\n"));
  });
  it("history lists the lines typed before, numbered, this one last", () => {
    expect(sh("history", { history: ["kubectl get pods", "vim web.yaml"] })).toEqual(out("    1  kubectl get pods\n    2  vim web.yaml\n    3  history\n"));
    expect(sh("history 2", { history: ["a", "b", "c"] })).toEqual(out("    3  c\n    4  history 2\n"));
    expect(sh("history | grep kubectl", { history: ["kubectl get pods", "ls"] })).toEqual(out("    1  kubectl get pods\n    3  history | grep kubectl\n"));
  });
  it("help lists what this host has (a pod has fewer tools); help NAME says what it is", () => {
    const node = sh("help").stdout;
    for (const tool of ["kubectl", "sed", "vim", "nano", "diff", "watch", "xargs", "base64", "find", "history"]) expect(node).toMatch(new RegExp(`\\b${tool}\\b`));
    sh("kubectl run box --image=ikubernetes/admin-box:v1.2");
    const pod = sh("kubectl exec box -- help").stdout;
    expect(pod).toContain("Commands on this container:");
    expect(pod).not.toMatch(/\bkubectl\b/);
    const sedAbout = "sed: stream editor: s/// (flags g p N i, \\U \\L \\u \\l \\E), d, p, n, q, =, y, a/i/c, addresses (N, $, /re/, first~step, ranges with ,N ,/re/ ,+N ,~N), -n -e -E -s -i\n";
    expect(sh("help sed")).toEqual(out(sedAbout));
    // TOOL --help says what kubelab's tool takes (it used to refuse --help as an unsupported option)
    expect(sh("sed --help")).toEqual(out(sedAbout + "(kubelab's sed: an option it lacks says it is not supported; `help` lists this terminal's commands)\n"));
    for (const tool of ["cp", "mv", "rm", "touch", "diff", "find", "xargs", "base64", "jq", "watch"]) expect(sh(`${tool} --help`), tool).toMatchObject({ stdout: expect.stringMatching(new RegExp(`^${tool}: .+\\n\\(kubelab's ${tool}: `)), exitCode: 0 });
    expect(sh("help nosuch")).toEqual(err("bash: help: no help topics match `nosuch'.  Try `help help' or `man -k nosuch' or `info nosuch'.\n"));
  });
});

describe("ls", () => {
  it("-a lists . and .. with the dot files, -A only the dot files, -d a directory itself; -l describes . and .. as directories", () => {
    sh("touch .h a && mkdir d && touch d/.x");
    expect(sh("ls -a")).toEqual(out(".  ..  .h  a  d  web.yaml\n"));
    expect(sh("ls -A")).toEqual(out(".h  a  d  web.yaml\n"));
    expect(sh("ls -d d /tmp")).toEqual(out("d  /tmp\n"));
    expect(sh("ls -d .*")).toEqual(out(".  ..  .h\n"));
    expect(sh("ls -la d")).toEqual(out("total 12\ndrwxr-xr-x. 2 root root  4096 Dec  5 16:00 .\ndrwxr-xr-x. 2 root root  4096 Dec  5 16:00 ..\n-rw-r--r--. 1 root root     0 Dec  5 16:00 .x\n"));
    expect(sh("ls -ld d")).toEqual(out("drwxr-xr-x. 2 root root  4096 Dec  5 16:00 d\n"));
  });
});

describe("pathname expansion (globs)", () => {
  it("an unquoted *, ? or [...] expands to the matching paths, sorted; no match leaves the word; quotes and \\ keep it", () => {
    sh("touch a.yaml b.yaml c.txt .h.yaml && mkdir -p d/e && touch d/x.yaml d/e/y.yaml");
    // (bash 5.2's answers on the same tree)
    expect(sh("echo *.yaml")).toEqual(out("a.yaml b.yaml web.yaml\n"));
    expect(sh("ls *.yaml")).toEqual(out("a.yaml  b.yaml  web.yaml\n"));
    expect(sh("echo '*.yaml' \"*\" \\*.yaml nomatch*")).toEqual(out("*.yaml * *.yaml nomatch*\n"));
    // bash 4.2 (CentOS 7's) lets .* match . and .. too (5.2's globskipdots leaves them out)
    expect(sh("echo * && echo .*")).toEqual(out("a.yaml b.yaml c.txt d web.yaml\n. .. .h.yaml\n"));
    expect(sh("echo d/.* .?")).toEqual(out("d/. d/.. ..\n"));
    expect(sh("echo d/* */ d/*/*.yaml /root/?.txt ./[ab].yaml")).toEqual(out("d/e d/x.yaml d/ d/e/y.yaml /root/c.txt ./a.yaml ./b.yaml\n"));
    expect(sh("for f in [ab]*; do echo $f; done")).toEqual(out("a.yaml\nb.yaml\n"));
    expect(sh("x='*.txt'; echo $x \"$x\"")).toEqual(out("c.txt *.txt\n"));
    expect(sh("ls a.yaml d")).toEqual(out("a.yaml\n\nd:\ne  x.yaml\n"));
    // a jsonpath with [*] is a pattern too, and, matching no file, stays as typed
    sh("kubectl create deployment web --image=ikubernetes/demoapp:v1.0");
    expect(sh("kubectl get deploy -o jsonpath={.items[*].metadata.name}")).toEqual(out("web"));
    // kubectl edit's kept copy can be named by a pattern
    sh(`KUBE_EDITOR="sed -i 's/name: web$/name: web2/'" kubectl edit deploy web`);
    expect(sh("grep -c 'name: web2' /tmp/kubectl-edit-*.yaml")).toEqual(out("1\n"));
  });
});
