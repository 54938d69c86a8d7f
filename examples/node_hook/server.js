// A team's registration inline hook in Node.js, with no dependencies (node:http only), to show mock-okta testing a
// hook written in another language from that hook's own repository.
//
// Its own rules (not Okta's guide): only acme.test addresses may sign up, and they join Sales; a signed-in user's
// new employeeNumber must have 6 digits. Okta calls it with the header `X-Api-Key: <HOOK_API_KEY>`.
//
//   HOOK_API_KEY=... node server.js [--port 8091]     prints "listening on <port>" once it accepts calls
"use strict";

const http = require("node:http");
const crypto = require("node:crypto");

const API_KEY = process.env.HOOK_API_KEY || "acme-node-hook-key";
const MAX_BODY = 64 * 1024;

// Constant-time comparison, so the key cannot be guessed byte by byte from response times.
function authorized(received) {
  const expected = Buffer.from(API_KEY);
  const given = Buffer.from(String(received || ""));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

function fieldError(attribute, text, reason) {
  return {
    error: {
      errorSummary: "Errors were found in the user profile",
      errorCauses: [
        { errorSummary: text, reason, locationType: "body", location: `data.userProfile.${attribute}`, domain: "end-user" },
      ],
    },
  };
}

function decide(body) {
  const data = body && body.data;
  if (!data || typeof data !== "object") return null;
  if (body.requestType === "progressive.profile") {
    const number = (data.userProfileUpdate || {}).employeeNumber;
    if (number !== undefined && !/^\d{6}$/.test(String(number))) {
      return fieldError("employeeNumber", "Employee numbers have 6 digits.", "INVALID_EMPLOYEE_NUMBER");
    }
    return { commands: [{ type: "com.okta.action.update", value: { registration: "ALLOW" } }] };
  }
  const email = String((data.userProfile || {}).email || "");
  if (!email.toLowerCase().endsWith("@acme.test")) {
    return fieldError("email", "Only acme.test addresses may sign up.", "INVALID_EMAIL_DOMAIN");
  }
  return {
    commands: [
      { type: "com.okta.action.update", value: { registration: "ALLOW" } },
      { type: "com.okta.user.profile.update", value: { department: "Sales" } },
    ],
  };
}

const server = http.createServer((request, response) => {
  const send = (status, document) => {
    const payload = document === undefined ? "" : JSON.stringify(document);
    response.writeHead(status, document === undefined ? {} : { "Content-Type": "application/json" });
    response.end(payload);
  };
  if (request.method !== "POST" || request.url !== "/okta/registration") return send(404, { error: "not found" });
  if (!authorized(request.headers["x-api-key"])) return send(401);
  const chunks = [];
  let size = 0;
  request.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) request.destroy();
    else chunks.push(chunk);
  });
  request.on("end", () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(400, { error: "the body is not JSON" });
    }
    const answer = decide(body);
    return answer ? send(200, answer) : send(400, { error: "not an Okta registration hook request" });
  });
});

const portFlag = process.argv.indexOf("--port");
const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 8091;
server.listen(port, "127.0.0.1", () => console.log(`listening on ${server.address().port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
