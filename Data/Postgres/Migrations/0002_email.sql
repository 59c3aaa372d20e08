-- SliceAuth schema version 2: verified addresses, the mailed one-time tokens, the mail quotas.

-- Accounts from before this version have never proved their address.
ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;

-- id is the SHA-256 of the mailed token: a stolen table yields no usable link. The tokens go with their account.
CREATE TABLE email_tokens (
    id               text        PRIMARY KEY,
    account_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose          smallint    NOT NULL,
    email            text        NOT NULL,
    email_key        text        NOT NULL,
    credential_stamp uuid        NOT NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL
);
CREATE INDEX email_tokens_account_id ON email_tokens (account_id);
CREATE INDEX email_tokens_expires_at ON email_tokens (expires_at);

-- How many mails a key (an address, a client) caused in its current fixed window, shared by every instance.
-- window_end is stored, not derived: housekeeping forgets ended windows without knowing each one's length.
CREATE TABLE mail_quota (
    key          text        PRIMARY KEY,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    used         int         NOT NULL
);
CREATE INDEX mail_quota_window_end ON mail_quota (window_end);
