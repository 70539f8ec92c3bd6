"""Redaction round 47 (tuned on the first readings of test52 and test53): network gear and appliance
consoles (Huawei VRP clear-text forms, Cisco WLC keys and AAA secrets, Check Point, Synology,
Commvault, Db2, TrueNAS, Proxmox, Semaphore, rsyncd secrets, a Junos ``$9$`` key told in prose);
device tokens (ThingsBoard over MQTT and HTTP, shell settings, ESP-IDF NVS rows, a Zigbee network
key); log shippers' tokens (Logz.io, Loggly, a Checkly heartbeat); an SDK client's key; a secret told
after a few words and a colon. Kept: a key a remark says ships to clients, a TeamCity credentials
reference, a value the command marks encrypted. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PHRASE = "lantern-quarry-bramble48"
_STRONG = "Wq7Lp2Xz9Kv4Rt8N"
_SYMBOL = "Quill482!Harbor"
_SID = "3XiE6Pqlso9oNtfevc4EPmmmpHGEdHzIvMeg7LpYpAu"
_SID_URL = "P4ZQWh0DC-SN_VNIEMYf6-D2zuo2m06duk8_oxEsJOJ"
_BODY64 = "rve04Rwopa5KQZFXAa6ops4JTR8viEYBC4KFmpSyMXKOGXnxWQWnyHG5acJTb8Jc"
_DEVICE = "0P6Kowft9Bgw7FtfS3ys"
_LETTERS32 = "jyehuvapmrlgwwegtmyagbwxfhyvkjcs"
_ALNUM32 = "057nz43tovv31w0cqwhvq2tl2j3ou4at"
_UUID = "8a688295-b017-4018-abc5-9834a485770c"
_UUID2 = "30dc2a32-d25b-444b-942f-7c69f6ca093a"
_HEX32 = "d6c97e3b59ef1da30f708a315f3c2c8d"
_BYTES = "[70, 44, 186, 218, 190, 108, 5, 25, 5, 136, 187, 48, 46, 243, 61, 35]"
_JUNOS = "$9$Hk5FCtu1hSyKvLxNdbwgJUHqfTz6"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Huawei VRP: typed in clear after irreversible-cipher, simple or plain
        (f"[~core-1] aaa\n local-user ops password irreversible-cipher {_SYMBOL}", _SYMBOL),
        (f" ospf authentication-mode hmac-sha256 1 plain {_STRONG}", _STRONG),
        (f" isis authentication-mode md5 plain {_STRONG}", _STRONG),
        (f" peer 10.0.0.2 password simple {_SYMBOL}", _SYMBOL),
        (f"  security wpa-wpa2 psk pass-phrase {_PHRASE} aes-tkip", _PHRASE),
        (f"snmp-agent usm-user v3 mon-ro authentication-mode sha2-256 {_PHRASE}", _PHRASE),
        (f"snmp-agent usm-user v3 mon-ro privacy-mode aes128 {_STRONG}", _STRONG),
        # Cisco WLC: a PSK before the WLAN id, an AAA server's shared secret
        (f"(Cisco Controller) >config wlan security wpa akm psk set-key ascii {_PHRASE} 2", _PHRASE),
        (f"(Cisco Controller) >config radius acct add 2 10.1.1.9 1813 ascii {_STRONG}", _STRONG),
        (f"config tacacs auth add 1 10.1.1.10 49 ascii {_SYMBOL}", _SYMBOL),
        # appliance consoles that take a password positionally
        (f"[Expert@fw-1:0]# cp_conf sic init {_PHRASE} norestart", _PHRASE),
        (f'$ sudo synouser --add backup {_STRONG} "Backup" 0 "" 0', _STRONG),
        (f"$ sudo synouser --setpw ops '{_PHRASE}'", _PHRASE),
        (f"$ synoshare --enc_mount Projects {_SYMBOL}", _SYMBOL),
        (f"$ qlogin -cs cs-1.site.internal -u admin -clp {_STRONG}", _STRONG),
        ("$ db2 connect to SALES user db2inst1 using rKtaPvbxGoLeMdNqcWfrs", "rKtaPvbxGoLeMdNqcWfrs"),
        # Check Point management sessions, TrueNAS API keys, Proxmox tokens, Semaphore
        (f"X-chkp-sid: {_SID}", _SID),
        (f"$ mgmt_cli -r true show hosts --session-id {_SID_URL}", _SID_URL),
        (f"$ midclt call auth.login_with_api_key 2-{_BODY64}", f"2-{_BODY64}"),
        (f"the old NAS key was 4-{_BODY64}", f"4-{_BODY64}"),
        (f"Authorization: PVEAPIToken=ci@pam!deploy={_UUID}", _UUID),
        (f"PBS_TOKEN=PBSAPIToken=backup@pbs!job:{_UUID2}", _UUID2),
        (f"$ sem connect acme.semaphoreci.com {_HEX32}", _HEX32),
        # an rsync daemon's secrets file
        (f"# /etc/rsyncd.secrets\nmirror:{_PHRASE}", _PHRASE),
        # a Junos $9$ string a sentence calls a key or says decodes
        (f"kim: the VRRP key in the old config was {_JUNOS}; it decodes in a second", _JUNOS),
        # device tokens: ThingsBoard over MQTT and HTTP
        (
            f"$ mosquitto_pub -h tb.site.internal -t v1/devices/me/attributes -u {_DEVICE} -m '{{}}'",
            _DEVICE,
        ),
        (f'mosquitto_sub -h broker -t fleet/# -u "{_DEVICE}"', _DEVICE),
        (f"curl -X POST https://tb.site.internal/api/v1/{_DEVICE}/attributes -d '{{}}'", _DEVICE),
        # device settings named for a secret
        (f"uart:~$ settings set golioth/psk {_STRONG}", _STRONG),
        (f"uart:~$ settings set wifi/password {_PHRASE}", _PHRASE),
        (f"key,type,encoding,value\nnvs,namespace,,\nmqtt_password,data,string,{_SYMBOL}", _SYMBOL),
        (f"advanced:\n  network_key: {_BYTES}", _BYTES),
        # log shippers
        (f"LOGZIO_SHIPPING_TOKEN={_LETTERS32}", _LETTERS32),
        (f'url => "https://listener.logz.io:8071/?token={_LETTERS32}&type=app"', _LETTERS32),
        (f"fields:\n  logzio_codec: json\n  token: {_ALNUM32}", _ALNUM32),
        (f"curl -d 'x' https://logs-01.loggly.com/bulk/{_UUID}/tag/app/", _UUID),
        (f"0 * * * * /opt/job.sh && curl -fsS https://ping.checklyhq.com/{_UUID2}", _UUID2),
        # an SDK client's key as its first argument
        ('RaygunClient client = new RaygunClient("q8W3mK7tL2pX9vR4nB6c==");', "q8W3mK7tL2pX9vR4nB6c=="),
        (f'mailchimp = MailchimpTransactional.Client("md-{_DEVICE}")', f"md-{_DEVICE}"),
        (f"client = acme.ApiClient('{_DEVICE}1')", f"{_DEVICE}1"),
        # a secret told after a few words and a colon
        (f"Jira OPS-12 (kim): Netatmo API secret from the cron job: {_ALNUM32}", _ALNUM32),
    ],
)
def test_round47_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Huawei's stored forms and a template
        ("local-user ops password irreversible-cipher $1c$Ab,Cd?Ef/gh$", "$1c$Ab,Cd?Ef/gh$"),
        (" ospf authentication-mode md5 1 cipher %^%#Qw8!Er7@Ty6#%^%#", "%^%#Qw8!Er7@Ty6#%^%#"),
        ("  security wpa2 psk pass-phrase %^%#Zx9Cv8Bn7%^%# aes", "%^%#Zx9Cv8Bn7%^%#"),
        ("snmp-agent usm-user v3 mon authentication-mode sha cipher %^%#Lk2Jh3%^%#", "%^%#Lk2Jh3%^%#"),
        (" ospf authentication-mode md5 1 plain ${OSPF_KEY}", "${OSPF_KEY}"),
        ("VRP shows irreversible-cipher hashes, never the password itself", "hashes"),
        # WLC lines with no key
        ("(Cisco Controller) >config wlan security wpa akm psk enable 2", "enable"),
        ("config radius auth add 1 10.70.0.9 1812 ascii $RADIUS_SECRET", "$RADIUS_SECRET"),
        # consoles given a variable, a word or no password
        ('$ sudo synouser --setpw admin "$NEW_PW"', "$NEW_PW"),
        ("$ synouser --get admin", "admin"),
        ("$ qlogin -cs cs-1 -u admin -clp prompt", "prompt"),
        ("$ db2 connect to SALES user db2inst1", "db2inst1"),
        ("X-chkp-sid: <sid from mgmt_cli login>", "<sid from mgmt_cli login>"),
        ("RB-3: the X-chkp-sid from mgmt_cli login expires after 600 s", "600"),
        ("$ mgmt_cli show hosts --session-id $SID", "$SID"),
        # a digest after a number, a token id without its secret, templates
        (
            "2-3b8e1f0a6c2d4e9f7a5b3c1d0e8f6a4b2c9d7e5f3a1b0c8d6e4f2a9b7c5d3e1f",
            "2-3b8e1f0a6c2d4e9f7a5b3c1d0e8f6a4b2c9d7e5f3a1b0c8d6e4f2a9b7c5d3e1f",
        ),
        ("Authorization: PVEAPIToken=ci@pam!deploy=<your-api-token>", "<your-api-token>"),
        ("the token id is ci@pam!deploy", "ci@pam!deploy"),
        ("$ sem connect acme.semaphoreci.com $SEMAPHORE_API_TOKEN", "$SEMAPHORE_API_TOKEN"),
        ("# /etc/rsyncd.secrets\nbackup:$RSYNC_PW", "$RSYNC_PW"),
        # Cisco's type 9 hash and a template of X's
        (
            "the BGP key hash is $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM",
            "$9$nhEmQVczB7dqsO",
        ),
        ("the OSPF key in the template is $9$XXXXXXXXXXXX, rotate it", "$9$XXXXXXXXXXXX"),
        # MQTT user names with a password beside them, names, variables
        ("mosquitto_pub -h mq -u gate-sync -P $MQTT_PW -t gates/cmd -m x", "gate-sync"),
        ("mosquitto_sub -h broker -t x -u sensor-gw-01", "sensor-gw-01"),
        ("mosquitto_pub -t v1/devices/me/telemetry -u $TB_TOKEN -m '{}'", "$TB_TOKEN"),
        ("curl -X POST https://tb.site.internal/api/v1/$ACCESS_TOKEN/telemetry", "$ACCESS_TOKEN"),
        ("GET /api/v1/devices/telemetry HTTP/1.1", "devices"),
        # settings that are ids or names
        ("uart:~$ settings set golioth/psk-id dock-17@fleet", "dock-17@fleet"),
        ("uart:~$ settings set wifi/ssid Depot-WiFi", "Depot-WiFi"),
        ("wifi_ssid,data,string,Depot-Net-5G", "Depot-Net-5G"),
        # Zigbee2MQTT's documented default key, a generated one, an 8-byte extended PAN id
        (
            "network_key: [1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13]",
            "[1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13]",
        ),
        ("network_key: GENERATE", "GENERATE"),
        ("ext_pan_id: [221, 221, 221, 221, 221, 221, 221, 221]", "[221, 221, 221, 221, 221, 221, 221, 221]"),
        # log shippers' placeholders, a Checkly dashboard link
        ("LOGZIO_TOKEN=${LOGZIO_TOKEN}", "${LOGZIO_TOKEN}"),
        (f"https://app.checklyhq.com/checks/{_UUID2}/edit", _UUID2),
        # SDK clients given a URL, a name, a client id
        ('var http = new HttpClient("https://api.site.internal/v1/");', "https://api.site.internal/v1/"),
        ('var queue = new QueueClient("orders-queue-2024");', "orders-queue-2024"),
        (f'var msal = new MsalClient("{_UUID}");', _UUID),
        # a colon after words that say the value is not the secret
        ("the API secret rotation date: 2026-01-01", "2026-01-01"),
        (f"API key name for the deploy bot: {_DEVICE}x", f"{_DEVICE}x"),
        # a key a remark says ships to clients
        (
            "Paddle.Initialize({ token: 'live_4be1c0f7a9d23e58b61f0ac94d7' });  // client-side token",
            "live_4be1c0f7a9d23e58b61f0ac94d7",
        ),
        (
            "var opts = { checkoutKey: 'live-checkout-key-0a4b7c1d9e2f3a5b8c6d0e1f4a7b9c2d' };"
            "  // checkout key, public",
            "live-checkout-key-0a4b7c1d9e2f3a5b8c6d0e1f4a7b9c2d",
        ),
        (f"subscribeKey: 'sub-c-{_UUID}',  // PubNub subscribe key, in the app", f"sub-c-{_UUID}"),
        ("Airship app key Zq8Wm3Kt7Lp2Xv9Rn4Bc (in the app, not the master secret)", "Zq8Wm3Kt7Lp2Xv9Rn4Bc"),
        # a credentials reference and a value the command marks encrypted
        (
            '<param name="env.MAIL_KEY" spec="password display=\'hidden\'" '
            f'value="credentialsJSON:{_UUID}" />',
            f"credentialsJSON:{_UUID}",
        ),
        (
            f"add lb monitor mon-ldap LDAP -password {_HEX32}{_HEX32} -encrypted -encryptmethod ENCMTHD_3",
            f"{_HEX32}{_HEX32}",
        ),
    ],
)
def test_round47_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a remark that says the key leaked, was public or must never ship
        (f"apiKey: '{_STRONG}'  // was public on GitHub, rotate", _STRONG),
        (f"SECRET_KEY = '{_DEVICE}'  # must never ship in the app", _DEVICE),
        (f"STRIPE_SECRET = 'sk_live_{_DEVICE}'  # for the public API", f"sk_live_{_DEVICE}"),
        # a value seen client-side, with no remark after it
        (
            f"The vendor API key live_{_DEVICE} was visible in the browser because the call was made"
            " client-side.",
            f"live_{_DEVICE}",
        ),
        # Twilio SIDs stay redacted whatever a remark says (decided in round 28)
        ("sid = 'AC5e2b8d4f7a1c9e3b6d0f8a2c4e7b1d3f'  // client-side", "AC5e2b8d4f7a1c9e3b6d0f8a2c4e7b1d3f"),
    ],
)
def test_round47_secrets_beside_the_kept_forms_stay_redacted(text: str, value: str) -> None:
    _gone(text, value)
