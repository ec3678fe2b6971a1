-- 工单队列: a department works its open tickets by deadline. This index holds open tickets only, in queue
-- order, so a page of the queue and its count read a small part of it whatever the closed history holds.
CREATE INDEX hotline_tickets_open_queue ON hotline_tickets (department_id, resolve_due, id) WHERE state NOT IN ('closed', 'merged');
