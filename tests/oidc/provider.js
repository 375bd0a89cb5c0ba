// A real OpenID Connect provider for the tests (npm's certified oidc-provider), on loopback, plain HTTP.
// node provider.js CONFIG.json  — CONFIG: {port, clients: [...], accounts: {login: {claims}}}
// Claims go to the userinfo answer only (the package's default, conformIdTokenClaims), as many providers do.
import fs from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const issuer = `http://127.0.0.1:${config.port}`;
const provider = new Provider(issuer, {
  clients: config.clients,
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"],
            groups: ["groups"] },
  scopes: ["openid", "email", "profile", "groups", "offline_access"],
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => false },
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  async loadExistingGrant(ctx) {  // consent is given: the office's provider asks its staff once, not in each test
    const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
provider.on("server_error", (ctx, err) => console.error("server_error", err));
provider.listen(config.port, "127.0.0.1", () => console.log(`oidc provider on ${issuer}`));
