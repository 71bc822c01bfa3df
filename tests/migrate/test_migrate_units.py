"""The pure pieces of convert: E.164, digest formats, the streaming JSON reader, and flat memory."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from migrate_helpers import BCRYPT, FIREBASE_CONFIG, FIREBASE_HASH, FIREBASE_SALT, write_json

from advisor.errors import UserError
from advisor.migrate import hashers, readers
from advisor.migrate.converter import ConvertOptions, convert
from advisor.migrate.phones import PhoneError, to_e164


@pytest.mark.parametrize(("raw", "expected"), [
    ("+1 (415) 555-0123", "+14155550123"),
    ("0044 20 7946 0958", "+442079460958"),
    ("+33.1.23.45.67.89", "+33123456789"),
    ("+49 30 901820", "+4930901820"),
    ("+683 4002", "+6834002"),
])
def test_phones_normalise_to_e164(raw, expected):
    assert to_e164(raw) == expected


@pytest.mark.parametrize(("raw", "why"), [
    ("(415) 555-0123", "no country code"),
    ("+1 415 555 012", "North American"),
    ("+1 115 555 0123", "North American"),
    ("+28 1234 5678", "assigned country calling code"),
    ("+44 20 7946 0958 1234 5", "digits"),
    ("+44 20 79x6 0958", "other than digits"),
    ("+０４４２０７９４６０９５８", "other than digits"),
])
def test_phones_refused_with_the_reason(raw, why):
    with pytest.raises(PhoneError, match=why) as info:
        to_e164(raw)
    assert raw.strip() not in str(info.value)


def test_supabase_phones_get_their_plus_back():
    assert to_e164("14155550123", plus_missing=True) == "+14155550123"
    with pytest.raises(PhoneError):
        to_e164("14155550123")


GOOD = {
    "bcrypt": BCRYPT,
    "bcrypt_sha256_django": "bcrypt_sha256$" + BCRYPT,
    "bcrypt_peppered": BCRYPT + "$pepper",
    "md5": "5f4dcc3b5aa765d61d8327deb882cf99",
    "md5_salted": "salt$5f4dcc3b5aa765d61d8327deb882cf99",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "sha256_salted": "salt$9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "pbkdf2_sha1": "pbkdf2_sha1$10000$73616c74$deadbeef$20",
    "pbkdf2_sha256": "pbkdf2_sha256$27500$c2FsdHNhbHQ=$" + "A" * 43 + "=",
    "pbkdf2_sha256_django": "pbkdf2_sha256$600000$rawsalt$" + "A" * 43 + "=",
    "pbkdf2_sha512": "pbkdf2_sha512$10000$salt$" + "ab" * 64,
    "pbkdf2_sha512_hex": "pbkdf2_sha512_hex$10000$73616c74$" + "ab" * 64,
    "phpass": "$P$B" + "a" * 30,
    "scrypt_firebase": f"{FIREBASE_HASH}${FIREBASE_SALT}${FIREBASE_CONFIG['base64_signer_key']}$Bw==$8$14",
    "argon2i": "$argon2i$v=19$m=4096,t=3,p=1$4t6CL3P7YiHBtwESXawI8Hm20zJj4cs7/4/G3c187e0"
               "$m7RQFczcKr5bIR0IIxbpO2P0tyrLjf3eUW3M3QSwnLc",
    "argon2id": "$argon2id$v=19$m=64,t=4,p=8$Z2liZXJyaXNo$iGXEpMBTDYQ8G/71tF0qGjxRHEmR3gpGULcE93zUJVU",
    "sha512_symfony": "sha512_symfony$5000$salt$" + "A" * 86 + "==",
    "awscognito": "awscognito#us-east-1_AbC123#7abcd1234efgh#ada@example.com",
}
BAD = {
    "bcrypt": "$2b$10$short",
    "md5": "5f4dcc3b5aa765d61d8327deb882cf9",
    "pbkdf2_sha256": "pbkdf2_sha256$27500$not base64!$AAAA",
    "scrypt_firebase": f"{FIREBASE_HASH}${FIREBASE_SALT}$$Bw==$8$14",
    "argon2id": "$argon2i$v=19$m=64,t=4,p=8$Z2liZXJyaXNo$iGXEpMBTDYQ8G",
    "awscognito": "awscognito#no-pool#client#id",
    "phpass": "$H$B" + "a" * 30,
}


@pytest.mark.parametrize("hasher", sorted(GOOD))
def test_documented_digest_formats_pass(hasher):
    assert hashers.check(hasher, GOOD[hasher]) == GOOD[hasher]


@pytest.mark.parametrize("hasher", sorted(BAD))
def test_wrong_digests_are_refused_without_repeating_them(hasher):
    with pytest.raises(hashers.DigestError, match=hasher) as info:
        hashers.check(hasher, BAD[hasher])
    assert BAD[hasher] not in str(info.value)


def test_php_2y_bcrypt_becomes_the_identical_2b():
    assert hashers.check("bcrypt", "$2y$" + BCRYPT[4:]) == BCRYPT


def test_unverified_formats_are_named():
    for name in ("md5_phpass", "ldap_ssha", "scrypt_werkzeug", "hmac_sha256_utf16_b64", "md5_salted"):
        assert hashers.HASHERS[name].unverified
    assert hashers.unverified("bcrypt", BCRYPT) is None
    assert hashers.unverified("pbkdf2_sha256", GOOD["pbkdf2_sha256"]) is None  # 32 bytes
    assert "64-byte" in (hashers.unverified("pbkdf2_sha256", "pbkdf2_sha256$1$c2FsdA==$" + "A" * 86 + "==") or "")
    with pytest.raises(hashers.DigestError, match="unknown password_hasher"):
        hashers.check("sha1", "x")


def test_streaming_reader_is_exact_at_every_chunk_boundary(tmp_path, monkeypatch):
    document = {"realm": "acme", "count": 1234567, "nested": {"users": "not this one"}, "users": [
        {"id": i, "n": 10 ** i, "s": "é" * i, "t": [True, None, -1.5e3]} for i in range(12)], "after": [1, 2]}
    path = tmp_path / "realm.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    for chunk in (1, 2, 3, 7, 64):
        monkeypatch.setattr(readers, "CHUNK", chunk)
        items = list(readers.records(path, formats=("json-object",), array_key="users"))
        assert [item for _, item in items] == document["users"]
        assert items[0][0] == json.dumps(document, indent=1).splitlines().index("  {") + 1


def test_streaming_reader_reports_a_broken_element_with_bounded_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CHUNK", 16)
    monkeypatch.setattr(readers, "MAX_RECORD", 64)
    path = tmp_path / "users.json"
    path.write_text('[{"id": 1},\n{"id": 2 "x": 3},\n' + '{"id": 4},\n' * 1000 + '{"id": 5}]', encoding="utf-8")
    with pytest.raises(UserError) as info:
        list(readers.records(path, formats=("json-array",)))
    assert str(info.value.location) == f"{path}:2:10"


def _firebase(path, n: int) -> None:
    users = ",".join(json.dumps({"localId": f"user{i:07d}", "email": f"user{i}@example.com", "emailVerified": True,
                                 "passwordHash": FIREBASE_HASH, "salt": FIREBASE_SALT, "displayName": "Ada Lovelace",
                                 "createdAt": "1486324027000"}) for i in range(n))
    path.write_text('{"users": [' + users + "]}", encoding="utf-8")


def test_convert_memory_does_not_grow_with_the_number_of_users(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CHUNK", 64 * 1024)  # both files larger than the read buffer
    write_json(tmp_path / "hash.json", FIREBASE_CONFIG)
    peaks = []
    for n in (3_000, 15_000):
        _firebase(tmp_path / f"in{n}.json", n)
        tracemalloc.start()
        summary = convert(ConvertOptions("firebase", (tmp_path / f"in{n}.json",), tmp_path / f"out{n}.jsonl",
                                         hash_config=tmp_path / "hash.json"))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert summary.users == n
    assert peaks[1] < peaks[0] * 1.25, peaks  # five times the users, about the same memory


def test_index_claims_like_a_sequential_first_claimant_wins(tmp_path):
    import random

    from advisor.migrate.index import Index

    rng = random.Random(3)
    entries = [(f"owner{i}", [(f, f"{f}{rng.randrange(60)}") for f in rng.sample(["email", "phone", "id"], 2)])
               for i in range(400)]
    taken: dict[tuple[str, str], str] = {}
    expected = []
    for owner, keys in entries:  # the plain model: one user at a time
        clash = next(((f, taken[(f, v)]) for f, v in keys if (f, v) in taken), None)
        if clash is None:
            taken.update({(f, v): owner for f, v in keys})
        expected.append(clash)
    with Index(tmp_path) as index:
        got = [r for start in range(0, len(entries), 37) for r in index.claim(entries[start:start + 37])]
    assert got == expected
    assert any(expected) and not all(expected)
