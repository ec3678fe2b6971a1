-- Who sent a catalogue entry to review: its reviewer must be someone else (four eyes on what the hub publishes).
ALTER TABLE hub_resources ADD COLUMN submitted_by text;
