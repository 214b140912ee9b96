// A real Better Auth server, as a Next.js frontend runs it, for the integration tier.
//
// It serves, on one origin (the frontend's): Better Auth at /api/auth/* with its JWT plugin
// (EdDSA tokens at /api/auth/token, keys at /api/auth/jwks) and its bearer plugin (session
// tokens in the `set-auth-token` header), and the page at / that plays the frontend.
// Configuration from the environment: PORT, BETTER_AUTH_URL, BETTER_AUTH_SECRET,
// DISABLE_SESSION_REFRESH=1 (Better Auth's `session.disableSessionRefresh`),
// RATE_LIMIT_MAX=n (its rate limiter on, n requests a minute per path, as in production),
// EXEMPT_GET_SESSION=1 (with it: `customRules: {"/get-session": false}`, docs/frontend.md), and
// the database in libpq's PGHOST / PGPORT / PGUSER / PGPASSWORD / PGDATABASE (read by `pg`).
// Better Auth's own tables are created on start (its migrations); "ready <port>" on stdout
// says it serves.
import { readFile } from "node:fs/promises";
import http from "node:http";

import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { bearer, jwt } from "better-auth/plugins";
import pg from "pg";

const { PORT, BETTER_AUTH_URL, BETTER_AUTH_SECRET } = process.env;
if (!PORT || !BETTER_AUTH_URL || !BETTER_AUTH_SECRET) {
  console.error("PORT, BETTER_AUTH_URL and BETTER_AUTH_SECRET are required");
  process.exit(2);
}

const options = {
  baseURL: BETTER_AUTH_URL,
  secret: BETTER_AUTH_SECRET,
  database: new pg.Pool({ max: 4 }),
  emailAndPassword: { enabled: true, autoSignIn: true },
  session: { disableSessionRefresh: process.env.DISABLE_SESSION_REFRESH === "1" },
  rateLimit: process.env.RATE_LIMIT_MAX
    ? {
        enabled: true,
        window: 60,
        max: Number(process.env.RATE_LIMIT_MAX),
        customRules:
          process.env.EXEMPT_GET_SESSION === "1" ? { "/get-session": false } : undefined,
      }
    : { enabled: false },
  plugins: [jwt(), bearer()],
  telemetry: { enabled: false },
};

const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);
const authHandler = toNodeHandler(auth);
const page = await readFile(new URL("./page.html", import.meta.url));

const server = http.createServer((request, response) => {
  if (request.url.startsWith("/api/auth/")) {
    authHandler(request, response);
  } else if (request.url === "/" || request.url.startsWith("/?")) {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(page);
  } else {
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found");
  }
});
server.listen(Number(PORT), "127.0.0.1", () => console.log(`ready ${PORT}`));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
