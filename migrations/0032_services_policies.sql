-- 不来即享: proactive benefits. A policy finds who qualifies from hub data; each one found gets an offer.

CREATE TABLE services_policies (
  id            bigserial PRIMARY KEY,
  code          text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9-]{1,60}$'),
  name          text NOT NULL,
  description   text NOT NULL DEFAULT '',
  -- the benefit item an accepted offer is an application of
  item_id       bigint NOT NULL REFERENCES services_items (id),
  -- [{predicate, expect, filter?}]: hub predicates that must answer `expect` for the same subject
  rules         jsonb NOT NULL,
  -- 免申即享: grant without the citizen's action
  automatic     boolean NOT NULL DEFAULT false,
  active        boolean NOT NULL DEFAULT true,
  division_code text NOT NULL,
  evaluated_at  timestamptz,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE services_offers (
  id             bigserial PRIMARY KEY,
  policy_id      bigint NOT NULL REFERENCES services_policies (id) ON DELETE CASCADE,
  -- resident ID or credit code the hub data is about
  subject        text NOT NULL,
  -- the citizen's account, when they have one
  user_id        bigint REFERENCES users (id) ON DELETE SET NULL,
  -- why they qualified: the rules that held, by name
  reasons        jsonb NOT NULL,
  state          text NOT NULL CHECK (state IN ('offered', 'accepted', 'granted')),
  application_id bigint REFERENCES services_applications (id) ON DELETE SET NULL,
  found_at       timestamptz NOT NULL,
  decided_at     timestamptz,
  UNIQUE (policy_id, subject)
);
CREATE INDEX services_offers_user ON services_offers (user_id) WHERE user_id IS NOT NULL;
