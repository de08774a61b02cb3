"""A software authenticator for tests (the browser test uses Chromium's virtual one): it answers
the options our endpoints give with what `navigator.credentials.create` / `.get` would return
(attestation « none », ES256, user present and verified), so that py_webauthn checks real
signatures. Encoding only (cbor2, cryptography): the checking is the library's."""

import base64
import hashlib
import json
import secrets

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftAuthenticator:
    def __init__(self, origin: str, *, user_verified: bool = True):
        self.origin = origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.user_handle = b""
        self.count = 0
        self.flags = UP | (UV if user_verified else 0)

    def _client_data(self, kind: str, options: dict) -> bytes:
        data = {"type": kind, "challenge": options["challenge"], "origin": self.origin}
        return json.dumps({**data, "crossOrigin": False}).encode()

    def _auth_data(self, rp_id: str, flags: int, extra: bytes = b"") -> bytes:
        self.count += 1
        rp_hash = hashlib.sha256(rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + self.count.to_bytes(4, "big") + extra

    def create(self, options: dict) -> dict:
        numbers = self.key.public_key().public_numbers()
        cose = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32), -3: numbers.y.to_bytes(32)}
        self.user_handle = base64.urlsafe_b64decode(options["user"]["id"] + "==")
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
        auth_data = self._auth_data(
            options["rp"]["id"], self.flags | AT, attested + cbor2.dumps(cose)
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(self._client_data("webauthn.create", options)),
                "attestationObject": b64(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
        }

    def get(self, options: dict) -> dict:
        client_data = self._client_data("webauthn.get", options)
        auth_data = self._auth_data(options["rpId"], self.flags)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": b64(self.user_handle),
            },
            "clientExtensionResults": {},
        }
