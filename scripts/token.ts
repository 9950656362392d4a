// npm run token -- --role student --sub alice [--course c1] [--name Alice] [--ttl 3600]
// Prints a bearer token signed with JWT_SECRET (or the development secret in .data/).
import { parseArgs } from "node:util";
import { signToken, ROLES, DEFAULT_AUDIENCE, DEFAULT_ISSUER, type Role } from "../api/auth.ts";
import { jwtSecret } from "../api/config.ts";

const { values } = parseArgs({
  options: {
    role: { type: "string", default: "student" },
    sub: { type: "string" },
    course: { type: "string" },
    name: { type: "string" },
    ttl: { type: "string", default: String(12 * 3600) },
  },
});
if (!values.sub) {
  console.error("usage: npm run token -- --role student|instructor|grader --sub <user> [--course <id>] [--name <name>] [--ttl <seconds>]");
  process.exit(2);
}
if (!ROLES.includes(values.role as Role)) {
  console.error(`--role must be one of ${ROLES.join(", ")}`);
  process.exit(2);
}
const token = await signToken(
  { secret: jwtSecret(), issuer: process.env.JWT_ISSUER ?? DEFAULT_ISSUER, audience: process.env.JWT_AUDIENCE ?? DEFAULT_AUDIENCE },
  { sub: values.sub, role: values.role as Role, course: values.course, name: values.name },
  Number(values.ttl),
);
console.log(token);
