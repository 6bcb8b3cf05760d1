import { HttpTarget } from "/work/wt-fuzz/fuzz/http-target.ts";
const t = await HttpTarget.start((process.argv[2] ?? "serve") as any);
for (const raw of process.argv.slice(3)) {
  const a = await t.sendRaw(Buffer.from(raw.replaceAll("\\r\\n", "\r\n").replaceAll("{port}", String(t.port)), "latin1"), raw.startsWith("HEAD"));
  console.log(JSON.stringify(raw.slice(0, 60)), "=>", a.kind === "response" ? `${a.status} ${a.head.split("\r\n").slice(1).join(" | ").slice(0, 200)} BODY ${a.body.slice(0, 200)}` : JSON.stringify(a));
}
await t.stop();
