"""Redaction round 39 (tuned on test42's first reading): the value a CLI stores under a credential's
name (``balena env add NAME VALUE``, ``heroku config:set NAME=VALUE``, ``gh secret set NAME --body
VALUE``, ``vault kv put PATH password=VALUE`` …), whatever its shape; and the trigger URL of an
automation platform whose random path is the credential (Make ``hook.eu1.make.com/<token>``,
Pipedream ``<id>.m.pipedream.net``, Pabbly, n8n's ``/webhook-test/<uuid>``). Look-alikes: variables,
command substitutions, placeholders, paths, store pointers, names about a credential
(``…_FILE``, ``…_TTL``, ``existingSecret``), masked and documentation URLs. Fresh fake values, none
a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_LETTERS = "qWmRtZbLnKoPvXe"  # letters only, as some generators draw them
_WORDS = "ProofingBasket"  # a CamelCase password: the position says what it is
_MIXED = "Rye7Crock!Levain"
_MAKE_TOKEN = "k3v9q2xm7b1n8c4z0w5r6t2y9u3i1o7p"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # ``NAME VALUE`` positionals
        (f"$ balena env add MQTT_PASSWORD {_LETTERS} --fleet bake/provers", _LETTERS),
        (f"balena env set API_TOKEN '{_WORDS}' --device 4c1f9a2", _WORDS),
        (f"$ doppler secrets set SHOPIFY_API_SECRET {_WORDS} --project bake", _WORDS),
        (f"$ netlify env:set POSTMARK_TOKEN {_LETTERS} --context production", _LETTERS),
        (f"$ cf set-env labels-app DB_PASSWORD {_WORDS}", _WORDS),
        (f"$ npx convex env set STRIPE_SECRET {_LETTERS}", _LETTERS),
        (f"$ glab variable set DEPLOY_TOKEN {_LETTERS}", _LETTERS),
        (f"$ pulumi config set --secret dbPassword {_WORDS}", _WORDS),
        (f"$ yarn config set npmAuthToken {_LETTERS}", _LETTERS),
        # ``NAME=VALUE`` arguments
        (f"$ heroku config:set KLAVIYO_PRIVATE_KEY={_WORDS} -a bake-shop", _WORDS),
        (f"$ fly secrets set HIVEMQ_PASSWORD={_LETTERS} -a bake-labels", _LETTERS),
        (f'$ railway variables --set "SESSION_SECRET={_WORDS}"', _WORDS),
        (f"$ dokku config:set bake-orders SMTP_PASSWORD={_MIXED}", _MIXED),
        (f"$ kubectl create secret generic hivemq --from-literal=password={_WORDS}", _WORDS),
        (f"$ kubectl set env deployment/orders REDIS_PASSWORD={_LETTERS}", _LETTERS),
        (f"$ gcloud run deploy orders --set-env-vars REGION=eu,API_KEY={_WORDS},DEBUG=0", _WORDS),
        (f"$ az webapp config appsettings set -g bake -n orders --settings DB_PASSWORD={_WORDS}", _WORDS),
        (f"$ vault kv put secret/bake/hivemq username=ovens password={_WORDS}", _WORDS),
        (f"$ helm upgrade --install mq ./chart --set auth.user=ovens,auth.password={_WORDS}", _WORDS),
        (f'$ terraform apply -var="db_password={_WORDS}" -var="region=eu-west-2"', _WORDS),
        (f'$ ansible-playbook site.yml -e "hivemq_password={_WORDS}"', _WORDS),
        (f"$ heroku config:set \\\n    STRIPE_SECRET_KEY={_WORDS} \\\n    LOG_LEVEL=info", _WORDS),
        # a value flag, the name before it or in ``--name``; stores that hold only secrets
        (f"$ gh secret set HIVEMQ_PASSWORD --body {_WORDS}", _WORDS),
        (f"$ gh secret set --repo bake/orders NPM_TOKEN -b '{_LETTERS}'", _LETTERS),
        (f"$ aws ssm put-parameter --name /bake/hivemq/password --value {_WORDS} --overwrite", _WORDS),
        (f"$ aws ssm put-parameter --name /bake/hivemq/broker --value {_WORDS} --type SecureString", _WORDS),
        (f"$ az keyvault secret set --vault-name bake-kv --name hivemq --value {_WORDS}", _WORDS),
        (f"$ aws secretsmanager create-secret --name bake/mq --secret-string {_WORDS}", _WORDS),
        # a literal piped into a command that reads it from stdin
        (f"$ echo -n '{_WORDS}' | vercel env add SHOPIFY_API_SECRET production", _WORDS),
        (f"$ echo {_LETTERS} | npx wrangler secret put ALGOLIA_ADMIN_KEY", _LETTERS),
        # automation platforms' trigger URLs
        (f"MAKE_WEBHOOK=https://hook.eu2.make.com/{_MAKE_TOKEN}", f"hook.eu2.make.com/{_MAKE_TOKEN}"),
        (f"curl -X POST https://hook.us1.make.com/{_MAKE_TOKEN} -d @order.json", _MAKE_TOKEN),
        (f"old scenario: https://hook.integromat.com/{_MAKE_TOKEN}", _MAKE_TOKEN),
        ("PIPEDREAM_URL=https://eo7x2k9q4m1b8v3n.m.pipedream.net", "eo7x2k9q4m1b8v3n"),
        (
            "n8n test hook: https://n8n.bake.internal/webhook-test/6b1e2c3d-4f5a-4b6c-9d7e-8f9a0b1c2d3e",
            "6b1e2c3d-4f5a-4b6c-9d7e-8f9a0b1c2d3e",
        ),
        (
            "PABBLY_HOOK=https://connect.pabbly.com/workflow/sendwebhookdata/IjU3NjQ3MDZhMDYzZTA0Mz_pc",
            "IjU3NjQ3MDZhMDYzZTA0Mz_pc",
        ),
    ],
)
def test_round39_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a variable, a command substitution, a placeholder, a path, a store pointer, the credential's
        # own name, a number or a switch word
        ("$ balena env add MQTT_PASSWORD $MQTT_PASSWORD --fleet bake/provers", "$MQTT_PASSWORD"),
        ('$ fly secrets set SESSION_SECRET="$(openssl rand -hex 32)"', "$(openssl rand -hex 32)"),
        ("$ balena env add MQTT_PASSWORD <password> --fleet bake/provers", "<password>"),
        ("$ fly secrets set API_TOKEN=changeme -a bake", "changeme"),
        ("$ vault kv put secret/bake/mq password=@mq-password.txt", "@mq-password.txt"),
        ("$ op item create --category=login 'password=op://bake/mq/password'", "op://bake/mq/password"),
        ("$ balena env add SECRET_NAME hivemq-password --fleet bake", "hivemq-password"),
        ("$ doppler secrets set TOKEN_TTL 3600", "3600"),
        ("$ heroku config:set FEATURE_TOKENS=enabled", "enabled"),
        # the name is about a credential, or names no credential
        ("$ balena env add MQTT_PASSWORD_FILE /run/secrets/mq --fleet bake", "/run/secrets/mq"),
        ("$ balena env add PASSWORD_MIN_LENGTH twelve --fleet bake", "twelve"),
        ("$ heroku config:set TOKEN_ISSUER=bakehouse", "bakehouse"),
        ("$ helm upgrade orders ./chart --set auth.existingSecret=orders-db", "orders-db"),
        ("$ balena env add MQTT_HOST broker.bake.internal --fleet bake", "broker.bake.internal"),
        ("$ netlify env:set NODE_VERSION twenty", "twenty"),
        ("$ aws ssm put-parameter --name /bake/log-level --value verbose --type String", "verbose"),
        (
            "$ gcloud run deploy orders --set-env-vars DB_SECRET=projects/bake/secrets/db/versions/1",
            "projects/bake/secrets/db/versions/1",
        ),
        # vercel's second positional is the environment, not the value
        ("$ vercel env add SHOPIFY_API_SECRET production", "production"),
        # trigger URLs: masked, a placeholder, documentation, an n8n path a person named
        ("https://hook.eu1.make.com/XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
        ("https://hook.eu1.make.com/<your-webhook-token>", "<your-webhook-token>"),
        (
            "Make docs: https://www.make.com/en/help/tools/webhooks",
            "https://www.make.com/en/help/tools/webhooks",
        ),
        ("scenario https://eu1.make.com/123456/scenarios/7891011/edit", "7891011/edit"),
        ("https://pipedream.com/docs/workflows/triggers", "pipedream.com/docs/workflows/triggers"),
        ("https://n8n.bake.internal/webhook/orders-paid", "orders-paid"),
    ],
)
def test_round39_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)
