-- Tokens no longer mint tokens, nor outlive a disabled issuer. Tokens that a token issued before (the
-- ledger names a token as the issuer) and tokens of disabled issuers are revoked now, each with its
-- ledger entry, as `revokeApiToken` would write it (payload {"reason": ...}).
WITH lapsed AS (
  UPDATE api_tokens t SET revoked_at = now()
   WHERE t.revoked_at IS NULL AND t.expires_at > now()
     AND (t.id::text IN (SELECT object_id FROM ledger_entries WHERE action = 'auth.token.issued' AND actor_id LIKE 'token:%'
                         UNION SELECT object_id FROM ledger_queue WHERE action = 'auth.token.issued' AND actor_id LIKE 'token:%')
          OR EXISTS (SELECT 1 FROM users u WHERE u.id = t.created_by AND u.disabled))
  RETURNING t.id, CASE WHEN t.created_by IS NULL THEN 'minted-by-token' ELSE 'issuer-disabled' END AS reason
)
INSERT INTO ledger_queue (actor_kind, actor_id, action, object_type, object_id, purpose, payload_hash, recorded_at)
SELECT 'system', 'migration', 'auth.token.revoked', 'api-token', id::text, NULL,
       sha256(convert_to('{"reason":"' || reason || '"}', 'UTF8')), now()
  FROM lapsed ORDER BY id;
