// runtimes/app.mjs as a Workers module (bundled into one file by the test, run by workerd).
import { server } from "./app.mjs";

export default { fetch: (request) => server.fetch(request) };
