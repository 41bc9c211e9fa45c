// The daemon's OpenAPI document (as built: build/<preset>/web/openapi.json) is a valid OpenAPI 3
// document: swagger-parser checks it against the official schema and resolves every $ref.
// Usage: node tests/web/openapi_test.mjs OPENAPI.json   (ctest runs it as Web.OpenApi)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import SwaggerParser from "@apidevtools/swagger-parser";

const [file] = process.argv.slice(2);
assert.ok(file, "usage: node tests/web/openapi_test.mjs OPENAPI.json");

test("the OpenAPI document is valid OpenAPI 3 and every $ref resolves", async () => {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const api = await SwaggerParser.validate(doc);
  assert.match(api.openapi, /^3\./);
  assert.ok(Object.keys(api.paths).length >= 20);
});

test("an invalid document is refused (the check can fail)", async () => {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  doc.paths["/api/ring"].post.responses = "none";
  await assert.rejects(SwaggerParser.validate(doc));
});
