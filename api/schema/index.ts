// The whole GraphQL schema: importing each domain registers its types on the builder.
import type { GraphQLSchema } from "graphql";
import { builder } from "../builder.ts";
import "./errors.ts";
import "./kube.ts";
import "./cluster.ts";
import "./user.ts";
import "./labs.ts";
import "./mutations.ts";
import "./subscriptions.ts";
import "./grading.ts";
import "./picture.ts";
import "./gradebook.ts";
import "./lab-page.ts";

let built: GraphQLSchema | undefined;
export function getSchema(): GraphQLSchema {
  built ??= builder.toSchema();
  return built;
}
