-- SliceAuth schema version 4: passkeys (WebAuthn credentials) and the challenges of ceremonies in flight.
-- Needs only version 1's users table.

-- A credential id belongs to one passkey across all accounts: the unique constraint decides a registration
-- race between instances, and bytea compares byte by byte. sign_count is the authenticator's uint32 counter.
CREATE TABLE passkeys (
    id            uuid        PRIMARY KEY,
    account_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id bytea       NOT NULL CONSTRAINT passkeys_credential_id_unique UNIQUE,
    public_key    bytea       NOT NULL,
    sign_count    bigint      NOT NULL CHECK (sign_count BETWEEN 0 AND 4294967295),
    name          text        NOT NULL,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz
);
CREATE INDEX passkeys_account_id ON passkeys (account_id);

-- Taken (deleted) by the one request that completes the ceremony. account_id: registration only, the account
-- whose session asked; a login challenge belongs to no account until its answer names one.
CREATE TABLE webauthn_challenges (
    challenge    text        PRIMARY KEY,
    ceremony     smallint    NOT NULL,
    account_id   uuid        REFERENCES users (id) ON DELETE CASCADE,
    options_json text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX webauthn_challenges_account_id ON webauthn_challenges (account_id);
CREATE INDEX webauthn_challenges_expires_at ON webauthn_challenges (expires_at);
