-- 信息系统登记: what a system is used for (用途, formerly its description) and whom to reach about it.
ALTER TABLE hub_systems RENAME COLUMN description TO purpose;
ALTER TABLE hub_systems ADD COLUMN contact text NOT NULL DEFAULT '';
