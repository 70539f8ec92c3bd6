# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test51.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test51.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270151)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of an orchestra touring company that takes a chamber orchestra on the road
with its own tour app, livestreams and freight, Marchfield Touring Sinfonia (MTS): PM-2 the tour-app
outage on the Vienna leg (Fly.io, Render, Neon, Upstash, Expo, Firebase), PM-6 ticketing and
merchandise keys in a public gist (Square, SumUp, Razorpay, Eventbrite, Stripe), PM-10 livestream
keys shown on a projector (YouTube, Twitch, Mux, Vimeo, OBS, Wowza), RB-4 the touring network kit
(Cisco IOS, Juniper SRX, EdgeRouter, pfSense, Peplink), RB-7 travel, freight and payroll (Duffel,
Amadeus, Wise, Xero, QuickBooks, Zoom), ADR-3 the sheet-music library (Box, Google Drive, Nextcloud,
Bitwarden Secrets Manager), ADR-8 messaging to players (WhatsApp Cloud API, Plivo, Pushover, FCM)
and PM-13 an emergency-contact sheet shared with a coach firm (cards, IBANs, phones). Common shapes
come first in each kind (``t51p…``/``t51n…``).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from random import Random

from planted_kit import (
    ALNUM,
    B64,
    B64URL,
    CRYPT,
    DIG,
    HEX,
    LOW,
    MORE_TEST_CARDS,
    OK_MAIL,
    PHONEISH,
    TEST_CARDS,
    UP,
    Draw,
    Gen,
    N,
    Row,
    S,
    b64,
    encode_jwt,
    expand_table,
    iban_of,
    pem_block_ok,
    sanity,
    ssn_or_nino_ok,
    write_fold,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test51.jsonl"
FOLD = "test51"
rng = Random(20270151)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
card = partial(draw.card_with_jcb, TEST_CARDS | MORE_TEST_CARDS)
luhn_bad, public_v4, public_v6, priv_ip = draw.luhn_bad, draw.public_v4, draw.public_v6, draw.priv_ip
ssn, nino, phone = draw.ssn, draw.nino, draw.phone

# Only type names earlier folds use.
TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "k8s-secret-b64"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = [
    "pizzicato",
    "fermata",
    "glissando",
    "timpani",
    "oboe",
    "crescendo",
    "cadenza",
    "rosin",
    "tutti",
    "arpeggio",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["tour-app", "library-sync", "stream-ops", "freight-bot", "payroll-export"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def youtube_key() -> str:
    return "-".join(rs(LOW + DIG, 4) for _ in range(5))


def twitch_key() -> str:
    return "live_" + rs(DIG, 9) + "_" + rs(ALNUM, 30)


def junos9() -> str:
    return "$9$" + rs(ALNUM + "./-", rng.randint(22, 38))


def fcm_key() -> str:
    return "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)


def bws_token() -> str:
    return "0." + uuid4() + "." + rs(ALNUM, 30) + ":" + rs(B64, 22) + "=="


def fly_token() -> str:
    return "FlyV1 fm2_" + rs(B64, 180)


def tour_jwt() -> str:
    body = {
        "iss": "https://auth.marchfield-sinfonia.example",
        "sub": "player-" + rs(DIG, 4),
        "role": "musician",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "ES256", "typ": "JWT", "kid": rs(ALNUM, 10)}, body, rs(B64URL, 86))


def monday_jwt() -> str:
    body = {
        "tid": rng.randint(300000000, 399999999),
        "aai": 11,
        "uid": rng.randint(40000000, 49999999),
        "rgn": "euc1",
    }
    return encode_jwt({"alg": "HS256"}, body, rs(B64URL, 43))


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def md5_crypt() -> str:
    return "$1$" + rs(CRYPT, 4) + "$" + rs(CRYPT, 22)


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["ignatius", "rosalind", "casimir", "philippa", "evander", "henrietta", "leopold", "wilhelmina"]
LAST = ["fairweather", "abernethy", "strathearn", "vosburgh", "quennell", "delacroix-hale"]
MAIL = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "gmx.at", "orange.fr", "btinternet.com"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


def fr_or_se() -> str:
    return draw.fr_phone() if rng.random() < 0.5 else draw.se_phone()


SVCS = ["tour-api", "itinerary-sync", "stream-ops", "merch-shop", "freight-api", "payroll-export"]
STAFF = ["ottoline", "benedikt", "saoirse", "kwame", "ilse", "rafferty", "mirela", "thandiwe"]
HOSTS = ["tour-api-1", "pg-tour", "fw-truck-1", "nas-library", "stream-enc-1", "ci-mac-1"]
CITIES = ["Vienna", "Ghent", "Bergen", "Lyon", "Leipzig", "Porto"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "city": lambda: rng.choice(CITIES),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | tour bridge | {who}: "
RC = "{who} (Rocket.Chat #tour-ops, {t}): "
FRESH = "Freshdesk #{tkt} private note ({who}): "
SHEET = "player,section,email,mobile,deposit_card,fee_iban,next_of_kin\n"
IOS = "truck-rtr-1(config)# "


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        ["$ AWS_ACCESS_KEY_ID={v} aws s3 sync ./recordings s3://mts-archive/2027/", "aws_access_key_id={v}"],
    ),
    ("aws-key", draw.aws_secret, ["aws_secret_access_key={v}", '"SecretAccessKey": "{v}",']),
    ("azure-key", draw.az_client_secret, ["AZURE_CLIENT_SECRET={v}  # Teams tour-announcements bot"]),
    ("gcp-key", draw.gcp_api, ['"api_key": [{"current_key": "{v}"}]  # google-services.json']),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"mts-tour-app","private_key_id":"{h40}","private_key":"{v}","client_email":"play-publisher@mts-tour-app.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "MATCH_GIT_BASIC_AUTHORIZATION=$(echo -n x-access-token:{v} | base64)",
            "GH_TOKEN={v} gh release create v3.4.0",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["$ curl --header 'PRIVATE-TOKEN: {v}' https://gitlab.com/api/v4/projects/mts%2Fscores"],
    ),
    ("slack-token", draw.slack_token, ["SLACK_BOT_TOKEN={v}"]),
    ("slack-webhook", draw.slack_hook, [RC + "freight bot posts to {v}"]),
    (
        "stripe-key",
        lambda: draw.stripe_key(("rk_live_51",)),
        ["STRIPE_RESTRICTED_KEY={v}  # merch refunds only"],
    ),
    (
        "jwt",
        tour_jwt,
        [
            "GET /v2/itinerary/today HTTP/2\nhost: api.marchfield-sinfonia.example\nauthorization: Bearer {v}",
            "{ts} DEBUG tour-api session restored jwt={v}",
        ],
    ),
    ("jwt", monday_jwt, ["MONDAY_API_TOKEN={v}"]),
    ("private-key", draw.pk("rsa"), ["docusign-jwt-private.pem:\n{v}"]),
    ("private-key", draw.pk("pkcs8"), ["$ cat AuthKey_7K3QXR2M9B.p8\n{v}"]),
    ("private-key", draw.pk("ssh", "  "), ["fastlane_match_deploy_key: |\n  {v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("ec", sep="\n    "),
        ["stream-enc-1:\n  tls:\n    key: |\n    {v}"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "DATABASE_URL=postgresql://tour_app:{v}@ep-quiet-sound-120391-pooler.eu-central-1.aws.neon.tech/tour?sslmode=require",
            "REDIS_URL=rediss://default:{v}@eu1-brave-oriole-31822.upstash.io:6379",
            "rtmp://stream-ops:{v}@live.mts.internal:1935/live",
            "srt://10.80.3.4:9000?streamid=publish/concert&passphrase={v}",
            "mongodb+srv://merch:{v}@merch.x7k2p.mongodb.net/shop",
            "amqp://freight:{v}@10.80.1.20:5672/tour",
            "https://library:{v}@nas-library.mts.internal/remote.php/dav/files/library/",
            "sftp://payroll:{v}@sftp.payroll-bureau.example/in/",
            "imaps://tour-office:{v}@mail.mts.internal:993/INBOX",
            "ssh://git:{v}@10.80.0.12:2222/scores.git",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "enable secret 0 {v}",
            "set system login user tourops authentication plain-text-password-value {v}",
            "set service pppoe-server authentication local-users username truck password {v}",
            "<pre-shared-key>{v}</pre-shared-key>",
            "$ nmcli dev wifi connect MTS-Truck password '{v}'",
            "wpa_passphrase=" + "{v}",
            "OBS_WEBSOCKET_PASSWORD={v}",
            "obs-cmd --websocket obsws://10.80.3.2:4455/{v} scene switch Interval",
            "NEXTCLOUD_ADMIN_PASSWORD={v}",
            "$ mysql -h 10.80.1.31 -u wordpress -p'{v}' wp_mts",
            "define( 'DB_PASSWORD', '{v}' );",
            "spring.datasource.password={v}",
            "$ PGPASSWORD='{v}' pg_dump -h pg-tour -U tour tour > tour.sql",
            "KEYCHAIN_PASSWORD={v}",
            "MATCH_PASSWORD={v}",
            "fastlane run unlock_keychain path:login.keychain password:{v}",
            TL + "the Peplink admin password is now {v}",
            RC + "hotel wifi in {city}: MTS_GUEST / {v}",
            FRESH + "Xero payroll login for the bureau: payroll@marchfield-sinfonia.example / {v}",
            "  - name: stream-enc-1\n    ansible_password: {v}",
            "$ sshpass -p {v} ssh pi@10.80.3.9 sudo reboot",
            "UPDATE wp_users SET user_pass = MD5('{v}') WHERE user_login = 'tourmanager';",
            '$cred = New-Object PSCredential("MTS\\svc-library", (ConvertTo-SecureString "{v}" -AsPlainText -Force))',
            "wowza.publish.password={v}",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [
            'set security ike policy truck-hq pre-shared-key ascii-text "{v}"',
            'set system radius-server 10.80.0.5 secret "{v}"',
        ],
    ),
    (
        "password-assignment",
        lambda: f"{rng.randint(0, 15):02d}" + rs("0123456789ABCDEF", 2 * rng.randint(6, 10)),
        ["enable password 7 {v}", "wlan MTS-Crew 2 MTS-Crew\n security wpa psk set-key ascii 7 {v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '$ curl -H "Authorization: Basic {v}" https://api.eu.onesignal.com/notifications',
            '{"auths":{"ghcr.io":{"auth":"{v}"}}}',
        ],
    ),
    (
        "bearer-token",
        alnum(32),
        ["curl -H 'Authorization: Bearer {v}' https://api.box.com/2.0/folders/0/items"],
    ),
    (
        "bearer-token",
        alnum(44),
        ["$ http POST https://api.peplink.example/rest/token/grant 'Authorization: Bearer {v}'"],
    ),
    (
        "vendor-token",
        lambda: "EAAA" + rs(B64URL, 60),
        ["SQUARE_ACCESS_TOKEN={v}", "client = Client(access_token='{v}', environment='production')"],
    ),
    (
        "vendor-token",
        lambda: "sup_sk_" + rs(ALNUM, 32),
        ["curl -H 'Authorization: Bearer {v}' https://api.sumup.com/v0.1/me"],
    ),
    (
        "generic-api-key",
        alnum(24),
        ['razorpay.Client(auth=("rzp_live_Q2m7XkP4bT9sLw", "{v}"))', "RAZORPAY_KEY_SECRET={v}"],
    ),
    (
        "vendor-token",
        lambda: rs(UP + DIG, 20),
        ["curl 'https://www.eventbriteapi.com/v3/users/me/?token={v}'", "EVENTBRITE_PRIVATE_TOKEN={v}"],
    ),
    (
        "vendor-token",
        youtube_key,
        ["rtmp://a.rtmp.youtube.com/live2/{v}", '{"settings": {"service": "YouTube - RTMPS", "key": "{v}"}}'],
    ),
    ("vendor-token", twitch_key, ["rtmp://lhr08.contribute.live-video.net/app/{v}", "TWITCH_STREAM_KEY={v}"]),
    (
        "generic-api-key",
        lambda: rs(B64, 75),
        [
            "MUX_TOKEN_ID=$MUX_ID\nMUX_TOKEN_SECRET={v}",
            "$ mux assets list --token-id $MUX_ID --token-secret {v}",
        ],
    ),
    (
        "vendor-token",
        hex_n(32),
        ["curl -H 'Authorization: bearer {v}' https://api.vimeo.com/me/videos", "VIMEO_ACCESS_TOKEN={v}"],
    ),
    (
        "vendor-token",
        lambda: "duffel_live_" + rs(B64URL, 43),
        [
            "DUFFEL_ACCESS_TOKEN={v}",
            "curl -H 'Authorization: Bearer {v}' -H 'Duffel-Version: v2' https://api.duffel.com/air/offer_requests",
        ],
    ),
    (
        "generic-api-key",
        alnum(16),
        [
            'curl -X POST https://api.amadeus.com/v1/security/oauth2/token -d "grant_type=client_credentials&client_id=$AMADEUS_ID&client_secret={v}"'
        ],
    ),
    (
        "vendor-token",
        uuid4,
        [
            "curl -H 'Authorization: Bearer {v}' https://api.transferwise.com/v1/profiles",
            "WISE_API_TOKEN={v}",
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(B64URL, 48),
        [
            "XERO_CLIENT_SECRET={v}",
            "xero:\n  client_id: 4C1F0A2E9B7D4E11A3C5F6D8B0A2C4E6\n  client_secret: {v}",
        ],
    ),
    ("vendor-token", lambda: "AB11" + rs(ALNUM, 46), ["QBO_REFRESH_TOKEN={v}"]),
    ("generic-api-key", alnum(32), ["ZOOM_CLIENT_SECRET={v}  # server-to-server app for auditions"]),
    (
        "vendor-token",
        lambda: "ya29." + rs(B64URL, 150),
        ["Authorization: Bearer {v}\nx-goog-api-client: gdcl/2.86.0"],
    ),
    (
        "vendor-token",
        lambda: "1//0" + rs(B64URL, 99),
        ['"refresh_token": "{v}",  # rclone drive remote "scores"'],
    ),
    (
        "vendor-token",
        lambda: "-".join(rs(ALNUM, 5) for _ in range(5)),
        [
            "$ rclone config create library webdav url https://nas-library.mts.internal/remote.php/dav vendor nextcloud user library pass {v}"
        ],
    ),
    ("vendor-token", bws_token, ["BWS_ACCESS_TOKEN={v}", "$ bws secret list --access-token {v}"]),
    (
        "vendor-token",
        lambda: "EAAG" + rs(ALNUM, 180),
        ["curl -X POST https://graph.facebook.com/v19.0/1093412200/messages -H 'Authorization: Bearer {v}'"],
    ),
    (
        "vendor-token",
        alnum(40),
        ["client = plivo.RestClient(auth_id=os.environ['PLIVO_AUTH_ID'], auth_token='{v}')"],
    ),
    (
        "vendor-token",
        lambda: "a" + rs(LOW + DIG, 29),
        [
            "curl -s --form-string 'token={v}' --form-string \"user=$PUSHOVER_USER\" --form-string 'message=coach late' https://api.pushover.net/1/messages.json"
        ],
    ),
    ("vendor-token", fcm_key, ["Authorization: key={v}", "FCM_SERVER_KEY={v}"]),
    ("vendor-token", lambda: rs(B64URL, 40), ["EXPO_TOKEN={v} eas build --platform ios --non-interactive"]),
    ("vendor-token", fly_token, ["$ FLY_API_TOKEN='{v}' fly deploy -a mts-tour-api"]),
    (
        "vendor-token",
        lambda: "rnd_" + rs(ALNUM, 32),
        ["curl -H 'Authorization: Bearer {v}' https://api.render.com/v1/services"],
    ),
    ("vendor-token", alnum(24), ["$ vercel deploy --prod --token {v}"]),
    ("vendor-token", lambda: "A" + rs(B64URL, 59) + "=", ["UPSTASH_REDIS_REST_TOKEN={v}"]),
    ("vendor-token", lambda: "sk-" + rs(ALNUM, 48), ["OPENAI_API_KEY={v}  # programme-notes drafts"]),
    ("vendor-token", draw.sendgrid_key, ["sg = SendGridAPIClient('{v}')"]),
    ("vendor-token", draw.atlassian_token, ["JIRA_API_TOKEN={v}"]),
    ("vendor-token", lambda: "shpat_" + rs(HEX, 32), ["X-Shopify-Access-Token: {v}"]),
    ("vendor-token", lambda: "AC" + rs(HEX, 32), ["TWILIO_ACCOUNT_SID={v}"]),
    ("vendor-token", hex_n(32), ["$ twilio profiles:create --account-sid $TWILIO_SID --auth-token {v}"]),
    ("generic-api-key", hex_n(40), ["X-Cisco-Meraki-API-Key: {v}"]),
    ("generic-api-key", alnum(32), ["peplink:\n  client_id: mts-incontrol\n  client_secret: {v}"]),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nPrivateKey = {v}\nAddress = 10.80.250.3/32"],
    ),
    ("generic-api-key", hex_n(64), ["WOWZA_API_SECRET={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: tour-db\ndata:\n  DB_PASSWORD: {v}"],
    ),
    ("webhook-url", draw.discord_hook, ["DISCORD_WEBHOOK_URL={v}  # players' channel"]),
    (
        "webhook-url",
        lambda: "https://hooks.zapier.com/hooks/catch/" + rs(DIG, 7) + "/" + rs(LOW + DIG, 7) + "/",
        ["freight booking zap: {v}"],
    ),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "vendor-token",
        lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA",
        ["$ ANTHROPIC_API_KEY={v} python translate_rider.py"],
    ),
    ("vendor-token", lambda: "dckr_pat_" + rs(B64URL, 27), ["DOCKERHUB_TOKEN={v}"]),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["npmAuthToken: {v}"]),
    ("vendor-token", lambda: "glc_" + rs(B64, 120) + "==", ["GRAFANA_CLOUD_TOKEN={v}"]),
    ("vendor-token", lambda: "SK" + rs(HEX, 32), ["twilio api:core:keys:create -> sid {v}"]),
    (
        "gitlab-token",
        lambda: "glptt-" + rs(HEX, 40),
        ["curl -X POST -F token={v} -F ref=main https://gitlab.com/api/v4/projects/4471/trigger/pipeline"],
    ),
    (
        "azure-key",
        draw.az_account_key,
        ["DefaultEndpointsProtocol=https;AccountName=mtsrecordings;AccountKey={v}"],
    ),
    ("slack-webhook", draw.slack_hook, ['"url": "{v}"']),
    (
        "password-assignment",
        password,
        [
            "$ smbclient -U 'MTS\\library%{v}' //nas-library/scores",
            "| truck router | fw-truck-1 | admin | {v} |",
            "set interfaces st0 unit 0 family inet\nset security ike gateway hq ike-policy truck-hq\nset security ike policy truck-hq pre-shared-key ascii-text {v}",
            "$ redis-cli -u redis://10.80.1.40 --pass {v} ping",
            "CELERY_BROKER_PASSWORD={v}",
            '<property name="password" value="{v}"/>',
            "$ ipmitool -H 10.80.9.3 -U admin -P '{v}' power cycle",
            "keyPassword={v}\nstoreFile=mts-upload.jks",
            "$ zip -P '{v}' contacts.zip emergency_contacts.csv",
            "$ 7z a -p{v} riders.7z riders/",
            "hotspot:\n  ssid: MTS-Coach-2\n  passphrase: {v}",
            "FreshDesk macro: reply with the shared login tour / {v}",
            "radius-server host 10.80.0.5 key 0 {v}",
            "$ openssl pkcs12 -export -in cert.pem -inkey key.pem -out tour.p12 -passout pass:{v}",
        ],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "jdbc:mysql://10.80.1.31:3306/wp_mts?user=wordpress&password={v}",
            "rtsp://admin:{v}@10.80.3.21:554/h264  # stage cam",
            "smb://MTS;library:{v}@nas-library/scores",
            "ftp://sheetmusic:{v}@ftp.publisher.example/rentals/",
        ],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"docusign_private_key": "{v}"']),
    (
        "bearer-token",
        alnum(64),
        ["$ curl -H 'Authorization: Bearer {v}' https://fw-truck-1.mts.internal/api/v1/status"],
    ),
    ("jwt", tour_jwt, ["localStorage.mts_session = '{v}'"]),
    (
        "webhook-url",
        lambda: "https://hc-ping.com/" + uuid4(),
        ["0 3 * * * /opt/mts/backup-scores.sh && curl -fsS {v}"],
    ),
    ("generic-api-key", alnum(32), [FRESH + "Eventbrite webhook secret pasted here by mistake: {v}"]),
    ("vendor-token", lambda: "hvs." + rs(ALNUM + "-_", 24), ["$ vault login {v}"]),
    (
        "vendor-token",
        lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
        ["SOPS_AGE_KEY={v}"],
    ),
    (
        "password-in-url",
        lambda: rs(B64URL, 27),
        ["CLOUDINARY_URL=cloudinary://418265930174552:{v}@marchfield"],
    ),
    (
        "vendor-token",
        hex_n(40),
        [
            "curl -H 'Authorization: Bearer {v}' -d '{\"long_url\":\"https://marchfield-sinfonia.example/vienna\"}' https://api-ssl.bitly.com/v4/shorten"
        ],
    ),
    ("jwt", monday_jwt, ["CALENDLY_TOKEN={v}  # audition slots"]),
    ("vendor-token", lambda: "re_" + rs(ALNUM, 8) + "_" + rs(ALNUM, 24), ['resend.api_key = "{v}"']),
    (
        "vendor-token",
        lambda: "tfp_" + rs(ALNUM, 44) + "_" + rs(ALNUM, 14),
        ["TYPEFORM_TOKEN={v}  # player availability form"],
    ),
    (
        "vendor-token",
        lambda: "figd_" + rs(B64URL, 40),
        ["curl -H 'X-Figma-Token: {v}' https://api.figma.com/v1/files/programme-2027"],
    ),
    ("vendor-token", lambda: "pk_" + rs(DIG, 8) + "_" + rs(UP + DIG, 32), ["CLICKUP_API_TOKEN={v}"]),
    ("password-assignment", password, ['network={\n    ssid="MTS-Truck"\n    psk="{v}"\n}']),
    ("password-assignment", password, ["$ htpasswd -bB /etc/nginx/press.htpasswd press '{v}'"]),
    (
        "password-assignment",
        junos9,
        [RC + "the SRX RADIUS secret in the pasted config is {v}, and that decodes in seconds, rotate it"],
    ),
    ("basic-auth", basic_cred, ["proxy-authorization: Basic {v}"]),
    ("aws-key", lambda: "IQoJb3JpZ2luX2VjE" + rs(B64, 300), ["aws_session_token = {v}"]),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            SHEET + "Rosalind Abernethy,viola,{v},,,,",
            FRESH + "guest player wants the itinerary sent to {v} as well",
            "{ts} INFO tour-api magic-link sent to {v}",
            "INSERT INTO crew (name, email) VALUES ('Casimir Vosburgh', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            SHEET + "Philippa Quennell,oboe,,{v},,,",
            FRESH + "coach driver rang from {v}, stuck at the border",
            "{ts} INFO itinerary-sync sms call-time-changed to={v}",
            "| Evander Strathearn | stage manager | {v} |",
            'next_of_kin:\n  name: Henrietta Fairweather\n  phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            SHEET + "Leopold Delacroix-Hale,timpani,,,{v},,",
            FRESH + "player emailed her full card {v} for the hotel deposit",
            "{ts} WARN merch-shop fallback charge pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} fw-truck-1 DROP IN=wan0 SRC={v} DST=10.80.0.1 PROTO=TCP DPT=22",
            "{ts} WARN tour-api 30 failed logins for player 2291 from {v}",
            '{"event":"ticket_scan","gate":"B","client_ip":"{v}"}',
            "sshd[4410]: Invalid user ubuntu from {v} port 40122",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [12/Apr/2027:19:31:02 +0200] "GET /live/concert.m3u8 HTTP/2.0" 200', "remote_ip={v}"],
    ),
    ("iban", lambda: draw.iban("GB"), [SHEET + "Wilhelmina Strathearn,cello,,,,{v},"]),
    ("iban", lambda: iban_of("AT", rs(DIG, 16)), [FRESH + "pay the Vienna deputy's fee to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [FRESH + "new freelance player's NI number {v} for payroll"]),
    ("national-id", ssn, ["| Ignatius Quennell | US guest soloist | SSN {v} | W-9 on file |"]),
    (
        "iban",
        lambda: draw.iban("FR"),
        ['{"beneficiary":"Casimir Abernethy","iban":"{v}","ref":"Lyon per diems"}'],
    ),
    ("email", email, ["Author: Philippa Vosburgh <{v}>\nDate:   Wed Apr 14 08:02:19 2027 +0200"]),
    ("email", email, ["To: bookings@coachhire.example\nCc: {v}\nSubject: emergency contacts, spring tour"]),
    ("phone", fr_or_se, [RC + "Lyon promoter's mobile is {v}"]),
    (
        "credit-card",
        card,
        [
            "tour=# SELECT card_number FROM per_diem_advances WHERE id = 31;\n card_number\n-------------\n {v}"
        ],
    ),
    ("ipv4", public_v4, ["X-Real-IP: {v}"]),
    ("phone", fr_or_se, ["<contact><name>Rosalind Fairweather</name><tel>{v}</tel></contact>"]),
    ("ipv6", public_v6, ["{ts} WARN stream-ops OBS websocket login from {v}"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git log --format=%H -1\n{v}",
            "tour-app 3.4.0 (build from {v})",
            "CI_COMMIT_SHA={v}",
            "revert of {v}: call-sheet timezone",
        ],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["fix {v} itinerary sync on roaming", "ghcr.io/marchfield/tour-api:{v}"]),
    (
        "uuid",
        uuid4,
        [
            "itinerary_id={v}",
            "{ts} INFO tour-api request_id={v} 200",
            "| {v} | Leipzig Gewandhaus load-in |",
            "X-Correlation-Id: {v}",
            "Expo build {v} finished",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "Wise transfer {v} completed",
            "DocuSign envelope {v} signed",
            "DocuSign integration key {v} (public client id)",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM ghcr.io/marchfield/tour-api@{v}", "encoder image {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  concert-2027-04-12.mp4", "shasum -a 256 scores.zip -> {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "certificate SHA-1 fingerprint {v}"]),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"', "Content-MD5 of the rider PDF {v}"]),
    ("hash-or-digest", md5_crypt, ["enable secret 5 {v}"]),
    ("hash-or-digest", lambda: draw.bcrypt("$2y$10$"), ["<bcrypt-hash>{v}</bcrypt-hash>"]),
    ("hash-or-digest", lambda: "$P$B" + rs(CRYPT, 30), ["wp_users.user_pass = '{v}'"]),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-" + "a3ce929d0e0e4736-01", "trace={v} op=itinerary.fetch"]),
    ("trace-id", hex_n(16), ["x-b3-spanid: {v}"]),
    ("trace-id", draw.long_trace, ["Twitch broadcast id {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:s3:::mts-archive-{rs(LOW + DIG, 6)}", ["recordings bucket {v}"]),
    (
        "cloud-resource-id",
        lambda: "ep-" + rs(LOW, 5) + "-" + rs(LOW, 5) + "-" + rs(DIG, 6),
        ["Neon endpoint {v} suspended"],
    ),
    ("cloud-resource-id", lambda: "srv-" + rs(LOW + DIG, 20), ["Render service {v} redeployed"]),
    (
        "cloud-resource-id",
        lambda: "projects/mts-tour-app/secrets/square-token",
        ["gcloud secrets describe {v}"],
    ),
    ("cloud-resource-id", lambda: "mts-tour-api", ["fly apps restart {v}"]),
    ("placeholder", lambda: "<stream-key>", ["rtmp://a.rtmp.youtube.com/live2/{v}"]),
    ("placeholder", lambda: "YOUR_ACCESS_TOKEN", ["SQUARE_ACCESS_TOKEN={v}"]),
    ("placeholder", lambda: "password123", ["the hire company's default {v} was still on the coach router"]),
    ("placeholder", lambda: "********", ["wowza.publish.password={v}"]),
    (
        "placeholder",
        lambda: "duffel_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ["DUFFEL_ACCESS_TOKEN={v}"],
    ),
    ("placeholder", lambda: "<client-secret>", ["XERO_CLIENT_SECRET={v}"]),
    (
        "placeholder",
        lambda: "xxxx-xxxx-xxxx-xxxx-xxxx",
        ['{"settings": {"service": "YouTube - RTMPS", "key": "{v}"}}'],
    ),
    (
        "placeholder",
        lambda: "$YOUR_TOKEN",
        ["curl -H 'Authorization: Bearer {v}' https://api.render.com/v1/services"],
    ),
    ("templated-value", lambda: "${{ secrets.EXPO_TOKEN }}", ["EXPO_TOKEN: {v}"]),
    ("templated-value", lambda: "{{ vault_peplink_secret }}", ['client_secret: "{v}"']),
    (
        "templated-value",
        lambda: "ENV['MATCH_PASSWORD']",
        ["match(type: 'appstore', readonly: true, password: {v})"],
    ),
    ("templated-value", lambda: "$(cat /run/secrets/obs_ws)", ["OBS_WEBSOCKET_PASSWORD={v}"]),
    ("templated-value", lambda: "%env(SUMUP_KEY)%", ["sumup_api_key: '{v}'"]),
    (
        "templated-value",
        lambda: "$CI_JOB_TOKEN",
        ["curl --header 'JOB-TOKEN: {v}' https://gitlab.com/api/v4/projects/4471/packages"],
    ),
    ("templated-value", lambda: "op://Tour/Wise/token", ["WISE_API_TOKEN={v}"]),
    ("masked-value", lambda: "***", ["##[debug]FLY_API_TOKEN={v}"]),
    ("masked-value", lambda: "live_*********_" + rs(ALNUM, 4), ["Twitch dashboard shows stream key {v}"]),
    ("masked-value", lambda: "<hidden>", ['{"event":"obs_login","password":"{v}"}']),
    ("masked-value", lambda: "**** **** **** " + rs(DIG, 4), ["SumUp receipt card {v}"]),
    ("masked-value", lambda: "EAAA…" + rs(ALNUM, 4), ["Square token {v} revoked in PM-6"]),
    (
        "keyword-no-value",
        lambda: "client_secret",
        ["RB-7: the Amadeus {v} moved to Bitwarden Secrets Manager"],
    ),
    ("keyword-no-value", lambda: "stream key", ["PM-10: the YouTube {v} was visible on the foyer projector"]),
    ("keyword-no-value", lambda: "pre-shared-key", ["the SRX {v} was rotated after the Ghent leg"]),
    ("keyword-no-value", lambda: "Authorization: key=", ["FCM legacy {v} headers stop working in June"]),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["stage-box switch {v}", "OBS machine at {v}", "{ts} fw-truck-1 NAT {v} -> lte0"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["example peer {v} in the SRX runbook"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["LTE modem WAN {v} (carrier NAT)"],
    ),
    ("example-email", lambda: "tour-office@marchfield-sinfonia.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "player@example.com", ["Plivo sandbox verified number owner {v}"]),
    ("example-email", lambda: "alerts@marchfield-sinfonia.example", ["Pushover email gateway from {v}"]),
    ("vendor-example-key", lambda: "AKIAIOSFODNN7EXAMPLE", ["aws_access_key_id={v}  # AWS docs example"]),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ["Stripe docs key {v} in the merch README"],
    ),
    (
        "vendor-example-key",
        lambda: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        ["aws_secret_access_key={v}  # second AWS docs example"],
    ),
    (
        "version-or-date",
        lambda: f"3.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["tour-app {v} on TestFlight", "encoder preset schema {v}"],
    ),
    (
        "version-or-date",
        lambda: f"Junos 22.{rng.randint(1, 4)}R{rng.randint(1, 3)}-S{rng.randint(1, 3)}",
        ["srx-truck runs {v}"],
    ),
    ("version-or-date", lambda: f"2027-04-1{rng.randint(0, 9)}T19:30:00+02:00", ["downbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["fastlane", "ci"], "ci-mac-1"),
        ["deploy key (public) added to scores repo:\n{v}"],
    ),
    ("public-key-or-cert", draw.cert_pem, ["live.marchfield-sinfonia.example.crt\n{v}"]),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = vpn.marchfield-sinfonia.example:51820"],
    ),
    (
        "public-key-or-cert",
        lambda: "rzp_live_" + rs(ALNUM, 14),
        ["var options = { key: '{v}' };  // Razorpay key id, public in checkout.js"],
    ),
    ("public-key-or-cert", lambda: "pk_live_51" + rs(ALNUM, 97), ["Stripe.js publishable key {v}"]),
    (
        "ids-and-numbers",
        lambda: "MTS-" + rs(DIG, 5),
        ["call sheet {v} issued", "freight manifest {v} cleared customs"],
    ),
    ("ids-and-numbers", lambda: "ord_" + rs(ALNUM, 22), ["Duffel order {v} ticketed"]),
    ("ids-and-numbers", lambda: rs(UP + DIG, 6), ["Amadeus PNR {v}"]),
    (
        "ids-and-numbers",
        lambda: rs(DIG, 10),
        ["Eventbrite event {v} on sale", "Eventbrite order {v} refunded"],
    ),
    ("ids-and-numbers", lambda: "MA" + rs(UP + DIG, 18), ["Plivo auth id {v} (account identifier)"]),
    (
        "ids-and-numbers",
        lambda: "u" + rs(LOW + DIG, 29),
        ["Pushover user key {v} (recipient, not the app token)"],
    ),
    ("luhn-fail-number", luhn_bad, ["ticket barcode {v} scanned twice", "ATA carnet voucher {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Square sandbox payment with {v} approved"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"leg":"vienna","day":3}'), ["X-MTS-Leg: {v}"]),
    ("base64-nonsecret", lambda: b64(b"itinerary-sync"), ["labels:\n  app.b64: {v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["square_token: {v}"]),
    ("encrypted-value", lambda: draw.sealed(250), ["spec:\n  encryptedData:\n    DB_PASSWORD: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG + "abcdef", 64),
        ["ansible_password: !vault |\n  {v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["Merge branch 'vienna-hotfix' into main ({v})"]),
    ("uuid", uuid4, ["Bitwarden project id {v}", "Mux asset {v} ready"]),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["RSA key fingerprint is {v}."]),
    (
        "hash-or-digest",
        lambda: "$6$" + rs(CRYPT, 16) + "$" + rs(CRYPT, 86),
        ['set system root-authentication encrypted-password "{v}"'],
    ),
    ("trace-id", hex_n(32), ["X-B3-TraceId: {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:user/recordings-sync",
        ["access key belongs to {v}"],
    ),
    ("cloud-resource-id", lambda: "eu1-brave-oriole-31822.upstash.io", ["Upstash endpoint {v}"]),
    ("placeholder", lambda: "<FCM_SERVER_KEY>", ["Authorization: key={v}"]),
    ("placeholder", lambda: "rk_live_...", ["STRIPE_RESTRICTED_KEY={v}  # see Bitwarden"]),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: tour-db\n            key: DB_PASSWORD"],
    ),
    ("templated-value", lambda: "{{ .Values.square.token }}", ["SQUARE_ACCESS_TOKEN: {v}"]),
    ("masked-value", lambda: "duffel_live_…" + rs(ALNUM, 4), ["Duffel token {v} rotated"]),
    (
        "keyword-no-value",
        lambda: "MUX_TOKEN_SECRET",
        ["ADR-3: {v} is read by the encoder from Bitwarden at start-up"],
    ),
    ("keyword-no-value", lambda: "plain-text-password-value", ["never use {v} in committed Junos configs"]),
    ("private-or-reserved-ip", lambda: f"fd00:80::{rng.randint(1, 99)}", ["truck VLAN ULA {v}"]),
    ("version-or-date", lambda: "EAS CLI 12.5.1", ["built with {v}"]),
    ("ids-and-numbers", lambda: "PM-" + rs(DIG, 2), ["see {v} for the livestream timeline"]),
    ("ids-and-numbers", lambda: "7K3QXR2M9B", ["App Store Connect key id {v}"]),
    ("luhn-fail-number", luhn_bad, ["instrument case RFID {v}"]),
    ("base64-nonsecret", lambda: b64(b"stream-ops:ok"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ci@ci-mac-1",
        ["known_hosts entry:\n{v}"],
    ),
    ("public-key-or-cert", draw.ec_pub_pem, ["Square webhook signature public key\n{v}"]),
    ("example-email", lambda: "noreply@mail.marchfield-sinfonia.example", ["From: {v}"]),
    ("vendor-example-key", lambda: "AKIAI44QH8DHBEXAMPLE", ["the AWS guide's second example key {v}"]),
    ("encrypted-value", lambda: "AQICAHh" + b64(draw.rbytes(110)), ["KMS CiphertextBlob: {v}"]),
    ("documented-test-card", lambda: "4000 0566 5566 5556", ["Stripe debit test card {v}"]),
    ("luhn-fail-number", luhn_bad, ["merch gift card {v} invalid"]),
    ("version-or-date", lambda: "v2.14.0", ["Peplink firmware {v}"]),
    ("ids-and-numbers", lambda: "L_" + rs(DIG, 18), ["Meraki org {v}"]),
    ("hash-or-digest", hex_n(64), ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 91422"]),
    ("uuid", uuid4, ["X-Request-Id from Wise: {v}"]),
    ("cloud-resource-id", hex_n(32), ['account_id = "{v}"  # Cloudflare account, not a token']),
    ("masked-value", lambda: "sup_sk_…" + rs(ALNUM, 4), ["SumUp key {v} disabled"]),
    ("templated-value", lambda: "var.render_api_key", ['provider "render" {\n  api_key = {v}\n}']),
    (
        "keyword-no-value",
        lambda: "X-Shopify-Access-Token",
        ["PM-6: {v} came from the merch app's settings page"],
    ),
    (
        "hash-or-digest",
        lambda: "$9$" + rs(ALNUM + "./", 14) + "$" + rs(ALNUM + "./", 43),
        ["username tourops privilege 15 secret 9 {v}"],
    ),
    ("encrypted-value", lambda: "ENC " + b64(draw.rbytes(80)), ["set psksecret {v}"]),
    (
        "ids-and-numbers",
        lambda: "L" + rs(UP + DIG, 12),
        ['location_id: "{v}"  # Square, Vienna pop-up merch stand'],
    ),
    (
        "ids-and-numbers",
        lambda: rs(ALNUM, 44),
        ['<video src="https://stream.mux.com/{v}.m3u8"></video>  <!-- public playback id -->'],
    ),
    ("ids-and-numbers", lambda: rs(B64URL, 11), ["rehearsal highlights: https://youtu.be/{v}"]),
    ("private-or-reserved-ip", lambda: "169.254.169.254", ["curl http://{v}/latest/meta-data/iam/info"]),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["export AWS_SECRET_ACCESS_KEY={v}  # copied from the AWS CLI docs"],
    ),
]


def sections() -> tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row]]:
    # drawn in this order: each draw moves the shared random generator
    return (
        expand(COMMON_SECRETS),
        expand(COMMON_PERSONAL),
        expand(RARE_SECRETS),
        expand(RARE_PERSONAL),
        expand(NEGATIVES),
        expand(RARE_NEGATIVES),
    )


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|glpat-|glrt-|gldt-|glptt-[a-f0-9]|xox[bpae]-\w|hooks\.slack\.com/services/T"
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|SG\.[\w-]{20}|sk-ant-|sk-[A-Za-z0-9]{48}|EAA[AG][\w-]{20}|sup_sk_[A-Za-z0-9]"
    r"|duffel_live_[\w-]{10}|ya29\.|1//0[\w-]{20}|AB11[A-Za-z0-9]{20}|APA91b|FlyV1 |rnd_[A-Za-z0-9]{10}|shpat_|ATATT|hvs\.|AGE-SECRET-KEY"
    r"|npm_[A-Za-z0-9]{30}|dckr_pat_|glc_[A-Za-z0-9+/]{10}|AC[a-f0-9]{32}|SK[a-f0-9]{32}|live_\d{9}_|live2/[a-z0-9]{4}-|\$9\$[A-Za-z0-9./-]{20}(?!\$)"
    r"|0\.[0-9a-f]{8}-[0-9a-f-]{27}\.[A-Za-z0-9]{10}|hc-ping\.com/[0-9a-f]{8}|discord\.com/api/webhooks/\d|hooks\.zapier\.com/hooks/catch/\d"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|AccountKey=[A-Za-z0-9+/]{20}|(?:password|secret|key) [07] [0-9A-Fa-f]{6}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|(?i:Bearer) [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|psk|privatekey)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.][A-Za-z0-9+/_.-]{11,}"
)

OK_MAIL_51 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")
# The fold's phones: US/UK fiction ranges and the French (01 99 00) and Swedish (070-174 06) ones.
PHONEISH_51 = re.compile(PHONEISH.pattern + r"|1 99 00 \d\d|70[- ]?174 06")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_51,
    phoneish=PHONEISH_51,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t51", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
