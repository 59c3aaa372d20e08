-- SliceAuth schema version 3: the TOTP second factor, its recovery codes, and logins waiting for a code.
-- Everything goes with its account (ON DELETE CASCADE).

-- One row per account that has TOTP on (protected_secret) or an enrolment pending (pending_secret), both Data
-- Protection ciphertext. A code is consumed by raising last_accepted_step in one statement that requires it to
-- be higher: of any number of instances presenting one step, one UPDATE matches.
CREATE TABLE second_factors (
    account_id         uuid   PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    protected_secret   text,
    pending_secret     text,
    last_accepted_step bigint NOT NULL DEFAULT 0
);

-- Lower-case hex SHA-256 of each unused recovery code; a code is consumed by deleting its row.
CREATE TABLE recovery_codes (
    account_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  text NOT NULL,
    PRIMARY KEY (account_id, code_hash)
);

-- id is the SHA-256 of the pending cookie's token: a stolen table yields no usable cookie.
CREATE TABLE pending_logins (
    id               text        PRIMARY KEY,
    account_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_stamp uuid        NOT NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    user_agent       text,
    ip_address       text
);
CREATE INDEX pending_logins_account_id ON pending_logins (account_id);
CREATE INDEX pending_logins_expires_at ON pending_logins (expires_at);
