"""Redaction round 30 (tuned on test33's first reading): a key after a CLI flag that names it
(``--primary-key``, ``--account-key``, ``--shared-access-key``), a Firebase Cloud Messaging legacy
server key (``AAAA…:APA91b…``, here in a plist's ``<string>``), and an API key passed as a URL's
``appid``/``app_id``. Look-alikes: flags that name a record's key or a key file, a variable after the
flag, public app ids. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_B64 = "Tq4Lw8Zr2Nx6Vc0Jm3Pk7Hd1Ys5Gb9Fe2Ua4Qo8Ri6="
_FCM = "AAAAzq7Lp2W:APA91bH" + "Kx3Vn8Rt2Qw7Lm4Zp9Yc1Jd6Fs0Ge5Ub_Ti8Ho3Nk2Xa-Wv7Bq4Mr9Cy1Ej6Dl0Ps5Gf" * 2
_APPKEY = "k8Rq2Zt7Lw4Nx9Vc3Mp6Hd1Js5Gb0Fe"
_CLIENT = "Kd8Rq2Zt7Lw4Nx9Vc3Mp6Hd1J"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a key after a flag that names the key
        (f"$ az iot hub device-identity create -n hub1 -d dev-7 --primary-key {_B64}", _B64),
        (f"az iot hub device-identity create -n hub1 -d dev-7 --secondary-key={_B64}", _B64),
        (f"az storage blob list --account-name stacme --account-key '{_B64}' -c logs", _B64),
        (f'az eventhubs x --shared-access-key "{_B64}"', _B64),
        ("azcopy copy ./f --sas-token 'sv=2022-11-02&ss=b&sig=Qm7Rt2Lx9Vb4Np8Kc3Wz'", "Qm7Rt2Lx9Vb4Np8Kc3Wz"),
        # an FCM legacy server key: in a plist, a setting, a curl header
        (f"<key>PushLegacyKey</key>\n<string>{_FCM}</string>", _FCM),
        (f"FCM_KEY_OLD={_FCM}", _FCM),
        (f'curl -H "Authorization: key={_FCM}" https://fcm.googleapis.com/fcm/send', _FCM),
        # an API key as a URL's appid / app_id
        (f"GET https://api.weather.example/data/2.5/weather?q=Leeds&appid={_APPKEY}", _APPKEY),
        (f"https://maps.example/v1/geocode?app_id={_APPKEY}&format=json", _APPKEY),
        (f"curl 'https://sms.example/send?to=x&APPID={_APPKEY}'", _APPKEY),
    ],
)
def test_round30_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # flags that name a record's key, a key file or a variable
        ("sqlite-utils create-table data.db plots --primary-key plot_id", "plot_id"),
        ("az storage blob list --account-name stacme --account-key $STORAGE_KEY", "$STORAGE_KEY"),
        ("az storage blob upload --account-key-file ./keys/acct.txt", "./keys/acct.txt"),
        ("--primary-key <device-primary-key>", "<device-primary-key>"),
        # public app ids in a URL
        ("https://graph.example/oauth?app_id=1234567890123456&redirect=x", "1234567890123456"),
        ("https://search.example/1/indexes?app_id=K7QX2M9ZPL", "K7QX2M9ZPL"),
        (f"https://a.example/x?client_id={_CLIENT}&tid=UA-4411223-7", _CLIENT),
    ],
)
def test_round30_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)
