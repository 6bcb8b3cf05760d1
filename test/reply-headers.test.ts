// The Node adapter writes a JSON reply's headers from a literal (faster than spreading the frozen
// defaults): it must stay exactly the defaults plus the Content-Length.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EMPTY_RESPONSE_HEADERS, JSON_RESPONSE_HEADERS, withLength } from "../src/transports/http/pipeline.js";

test("withLength on the JSON defaults is the defaults plus Content-Length", () => {
  assert.deepEqual(withLength(JSON_RESPONSE_HEADERS, "42"), { ...JSON_RESPONSE_HEADERS, "content-length": "42" });
});

test("withLength on other headers keeps them all and leaves its input unchanged", () => {
  const headers = { ...EMPTY_RESPONSE_HEADERS, "content-type": "application/json", allow: "POST" };
  assert.deepEqual(withLength(headers, "7"), { ...headers, "content-length": "7" });
  assert.equal("content-length" in headers, false);
  assert.equal(Object.isFrozen(JSON_RESPONSE_HEADERS), true);
});
