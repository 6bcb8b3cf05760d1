// Just enough of Bun's and Deno's globals to type-check bun.ts and deno.ts under Node's types. In a
// project of your own they come from `@types/bun` and from Deno itself.
declare global {
  const Bun: {
    serve(options: { hostname?: string; port?: number; fetch(request: Request): Response | Promise<Response> }): { readonly url: URL };
  };
  const Deno: {
    env: { get(name: string): string | undefined };
    serve(
      options: { hostname?: string; port?: number; onListen?(address: { hostname: string; port: number }): void },
      handler: (request: Request) => Response | Promise<Response>,
    ): unknown;
  };
}

export {};
