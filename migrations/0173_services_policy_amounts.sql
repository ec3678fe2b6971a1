-- 不来即享: what a policy of an item that pays or charges an amount grants on each approval, in 分 (fen), as a
-- decision states it. A policy saved before has none: its grants are refused until it is edited to state one.
ALTER TABLE services_policies ADD COLUMN amount integer CHECK (amount BETWEEN 1 AND 1000000000);
