-- PLACEHOLDER on branch pk-store only, so this branch's migrations are numbered 1..N without the second-factor
-- branch. The real 0003_second_factor.sql (branch tfa-store) replaces this file when the branches are merged;
-- 0004_passkeys.sql does not depend on it. Never migrate a database you keep with this placeholder.
SELECT 1;
