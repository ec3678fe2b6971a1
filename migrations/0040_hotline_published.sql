-- 公开诉求: the reporter chose at submission to publish the report's text, address and point (phone
-- and ID numbers masked). Otherwise the public sees only the service, state, dates and a coarse place.
ALTER TABLE hotline_tickets ADD COLUMN published boolean NOT NULL DEFAULT false;
