"""Redaction round 28 (tuned on test31's first reading): a MySQL/MariaDB client's password glued to
``-p`` or after ``--password=`` whatever its shape, a user:token pair after a CLI ``-auth``/``--auth``
flag, an AWS key id inside a Go ``%+v`` struct dump (``{{AccessKeyID:…}}`` is no template), and
WordPress's keys and salts (``AUTH_KEY`` … ``NONCE_SALT``) in wp-config ``define()`` and env lines.
Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from kb.safety.redaction import redact_text
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_WP_SALT = "t]3Vq&Lm9 #Zr)Pw!k2Hx^Nd8 {Sy=Fb6-Jc4|Ue,Ga;0Mi"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # MySQL/MariaDB clients: the glued ``-p`` value is the password, letters only too
        ("$ mysql -h 10.4.2.9 -u ledger -pqTvRzLmWkPsN ledger", "qTvRzLmWkPsN"),
        ("mysqldump -uroot -pHarbourLantern --single-transaction orders > orders.sql", "HarbourLantern"),
        ("/usr/bin/mariadb-dump -u backup -pfenwickmoor --all-databases | gzip", "fenwickmoor"),
        ("docker exec -it db-1 mysql -uroot -p'copper kettle' -e 'SHOW DATABASES'", "copper kettle"),
        ("mysql -P 3307 -pGlassOtter -h replica orders", "GlassOtter"),
        ("mysqladmin -u ops --password=brindlefox status", "brindlefox"),
        # a user:token pair after an auth flag
        (
            "java -jar jenkins-cli.jar -s https://ci.fabrikam.internal"
            " -auth deployer:11f0e3a9c2b74d58a61e07c93b2d4f8e05 who-am-i",
            "11f0e3a9c2b74d58a61e07c93b2d4f8e05",
        ),
        ("http --auth=ops:sunlitHeron42 GET https://api.fabrikam.internal/health", "sunlitHeron42"),
        ("http -a ops:quietmarsh GET https://api.fabrikam.internal/health", "quietmarsh"),
        # an AWS access key id in a Go struct dump
        ("creds=aws.Credentials{{AccessKeyID:ASIAQ7XK2M4PLRW9ZT3B SessionToken:}}", "ASIAQ7XK2M4PLRW9ZT3B"),
        ("provider=Static{{AccessKeyId:AKIAZ3W8QK2LM7XRP4TN}}", "AKIAZ3W8QK2LM7XRP4TN"),
        ("cfg=map[AccessKeyId:AKIAZ3W8QK2LM7XRP4TN Region:eu-west-2]", "AKIAZ3W8QK2LM7XRP4TN"),
        # WordPress keys and salts
        (f"define( 'NONCE_SALT', '{_WP_SALT}' );", _WP_SALT),
        (f'define("SECURE_AUTH_KEY", "{_WP_SALT}");', _WP_SALT),
        (f"NONCE_SALT='{_WP_SALT}'", _WP_SALT),
        (f"      WORDPRESS_AUTH_SALT: '{_WP_SALT}'", _WP_SALT),
        ("export LOGGED_IN_KEY=Rm4qTz8LwXp2Vk7NcY5bHd3J", "Rm4qTz8LwXp2Vk7NcY5bHd3J"),
    ],
)
def test_round28_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # ``-p`` then a space prompts: the next word is the database; other tools' ``-p`` is a port
        ("mysql -u ledger -p ledger_prod", "ledger_prod"),
        ("ssh -p2222 deploy@bastion.fabrikam.internal", "2222"),
        ("kubectl port-forward svc/mysql -p13306:3306", "13306:3306"),
        ("mysql -h db -u app -p3306 orders", "3306"),
        ("mysql -u app -p$MYSQL_PWD orders", "$MYSQL_PWD"),
        ("mysql -u app -pMYSQL_ROOT_PASSWORD orders", "MYSQL_ROOT_PASSWORD"),
        ("mysql -u app -pxxxxxxxx orders", "xxxxxxxx"),
        ("see mysql://reports@db.fabrikam.internal/orders -pmonthly", "monthly"),
        # an auth flag naming a file, or a variable
        (
            "java -jar jenkins-cli.jar -auth @/var/lib/jenkins/cli-creds list-jobs",
            "@/var/lib/jenkins/cli-creds",
        ),
        ("java -jar jenkins-cli.jar -auth deployer:$JENKINS_API_TOKEN list-jobs", "$JENKINS_API_TOKEN"),
        ("--auth-type basic", "basic"),
        # templates stay templates
        ("Password: '{{resolve:secretsmanager:OrdersDb:SecretString:password}}'", "resolve:secretsmanager"),
        ("key={{ .Values.aws.accessKeyId }}", ".Values.aws.accessKeyId"),
        # WordPress placeholders and settings that are no salt
        ("define( 'AUTH_KEY',         'put your unique phrase here' );", "put your unique phrase here"),
        ("define('WP_CACHE_KEY_SALT', 'fabrikam_wp_');", "fabrikam_wp_"),
        ("WORDPRESS_NONCE_SALT: '${NONCE_SALT}'", "${NONCE_SALT}"),
        ("AUTH_KEY=changeme", "changeme"),
    ],
)
def test_round28_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_auth_flag_keeps_the_user() -> None:
    out = redact_text("http --auth=ops:sunlitHeron42 GET https://api.fabrikam.internal/health")
    assert "--auth=ops:[REDACTED:" in out, out


def test_twilio_account_sid_is_still_redacted() -> None:
    # kept redacted on purpose: it names the account the auth token opens (see the README, round 28)
    _gone("TWILIO_ACCOUNT_SID=AC5f0e1d2c3b4a59687766554433221100", "AC5f0e1d2c3b4a59687766554433221100")
