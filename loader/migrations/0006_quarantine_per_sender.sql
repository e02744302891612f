-- 0006_quarantine_per_sender.sql: a rejection is remembered per sender.
--
-- The same bytes can be rejected for one sender (a key registered for
-- another country) and be perfectly valid from the rightful sender.  Keyed
-- on (id, content) alone, the first rejection would be replayed to the
-- rightful sender forever, so anyone who obtained the bytes could block a
-- partner's submission.  The key now includes the sender's public key.
ALTER TABLE dcp.quarantine DROP CONSTRAINT quarantine_submission_id_content_sha256_key;
CREATE UNIQUE INDEX quarantine_once_per_sender
    ON dcp.quarantine (submission_id, content_sha256, (coalesce(sender_key, '')));
