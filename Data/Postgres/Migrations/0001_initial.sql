-- SliceAuth schema version 1: accounts, sessions, the login throttle, the Data Protection key ring, metadata.
-- Keys (username_key, username_lookalike_key, email_key) are computed in C#: lower() and citext do not do
-- full Unicode case folding, so uniqueness must compare what the application compares.

CREATE TABLE users (
    id                     uuid        PRIMARY KEY,
    username               text        NOT NULL,
    username_key           text        NOT NULL CONSTRAINT users_username_key_unique UNIQUE,
    username_lookalike_key text                 CONSTRAINT users_username_lookalike_key_unique UNIQUE,
    email                  text        NOT NULL,
    email_key              text        NOT NULL CONSTRAINT users_email_key_unique UNIQUE,
    password_hash          text        NOT NULL,
    credential_stamp       uuid        NOT NULL,
    created_at             timestamptz NOT NULL
);

-- id is the SHA-256 of the cookie's token: a stolen table yields no usable cookie.
CREATE TABLE sessions (
    id           text        PRIMARY KEY,
    handle       text        NOT NULL,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    username     text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    user_agent   text,
    ip_address   text
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sessions_last_seen_at ON sessions (last_seen_at);

-- Every instance keeps live sessions in memory and drops them when told here. The notification is sent by
-- the deletion itself, so only if it commits, and whoever deleted (another instance, the purge, an operator
-- with SQL, a cascade from users).
CREATE FUNCTION sliceauth_session_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('sliceauth_sessions', OLD.id);
    RETURN NULL;
END $$;
CREATE TRIGGER sessions_removed AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION sliceauth_session_removed();
-- An operator shortening a session (or moving it) changes what the caches hold: they drop it and re-read.
-- The sliding touch changes only last_seen_at and sends nothing.
CREATE TRIGGER sessions_changed AFTER UPDATE OF id, user_id, username, expires_at ON sessions
    FOR EACH ROW EXECUTE FUNCTION sliceauth_session_removed();

CREATE FUNCTION sliceauth_sessions_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('sliceauth_sessions', '*');
    RETURN NULL;
END $$;
CREATE TRIGGER sessions_truncated AFTER TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION sliceauth_sessions_truncated();

-- The per-account login throttle, shared by every instance: a row per password check in flight
-- (failed_at null) and per failure within the window.
CREATE TABLE login_checks (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key text        NOT NULL,
    started_at  timestamptz NOT NULL,
    failed_at   timestamptz
);
CREATE INDEX login_checks_account_key ON login_checks (account_key);

-- Takes a place for one password check when the account's failures in the window plus its checks in flight
-- are under the limit. The per-account advisory lock makes the count and the insert one atomic step across
-- every instance. Returns the new row's id, or null and when to come back (null when only checks in flight
-- hold the places). In-flight rows older than p_in_flight_ttl belonged to an instance that died mid-check.
CREATE FUNCTION sliceauth_reserve_login_check(
    p_key text, p_now timestamptz, p_window interval, p_max int, p_in_flight_ttl interval)
RETURNS TABLE (reserved bigint, retry_at timestamptz) LANGUAGE plpgsql AS $$
DECLARE
    held int;
    failures int;
    oldest timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('sliceauth.login_checks:' || p_key, 0));
    DELETE FROM login_checks
     WHERE account_key = p_key
       AND (failed_at <= p_now - p_window OR (failed_at IS NULL AND started_at <= p_now - p_in_flight_ttl));
    SELECT count(*), count(failed_at), min(failed_at) INTO held, failures, oldest
      FROM login_checks WHERE account_key = p_key;
    IF held < p_max THEN
        RETURN QUERY INSERT INTO login_checks (account_key, started_at) VALUES (p_key, p_now) RETURNING id, NULL::timestamptz;
    ELSIF failures >= p_max THEN
        RETURN QUERY SELECT NULL::bigint, oldest + p_window;
    ELSE
        RETURN QUERY SELECT NULL::bigint, NULL::timestamptz;
    END IF;
END $$;

CREATE TABLE data_protection_keys (
    friendly_name text PRIMARY KEY,
    xml           text NOT NULL
);

-- The pepper's fingerprint (never the pepper) and the readiness probe's row.
CREATE TABLE metadata (
    key   text PRIMARY KEY,
    value text NOT NULL
);
