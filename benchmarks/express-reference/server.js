// The guide's registration hook, written from the guide's description: Express, express.json(),
// express-basic-auth with admin/supersecret, and the example.com rule. Baseline for benchmarks/run.py only.
const express = require("express");
const basicAuth = require("express-basic-auth");

const app = express();
app.use(express.json());
app.use(
  basicAuth({
    authorizer: (user, password) =>
      basicAuth.safeCompare(user, "admin") & basicAuth.safeCompare(password, "supersecret"),
  })
);

app.post("/registrationHook", (request, response) => {
  const email = request.body.data.userProfile.email;
  const domain = email.split("@")[1];
  if (domain === "example.com") {
    response.status(200).send(
      JSON.stringify({ commands: [{ type: "com.okta.action.update", value: { registration: "ALLOW" } }] })
    );
    return;
  }
  response.status(200).send(
    JSON.stringify({
      commands: [{ type: "com.okta.action.update", value: { registration: "DENY" } }],
      error: {
        errorSummary: "Incorrect email address. Please contact your admin.",
        errorCauses: [
          {
            errorSummary: "Only example.com emails can register.",
            reason: "INVALID_EMAIL_DOMAIN",
            locationType: "body",
            location: "data.userProfile.email",
            domain: "end-user",
          },
        ],
      },
    })
  );
});

const port = Number(process.env.PORT || 8082);
app.listen(port, "127.0.0.1", () => console.log(`Your app is listening on port ${port}`));
