// The fuzz target over stdio, as a client would launch it.
import { serveStdio } from "http-mcp/stdio";
import { createFuzzServer } from "./server.ts";

serveStdio(createFuzzServer());
