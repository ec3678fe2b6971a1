-- 工单智能分类: the trained category classifier, the labelled examples it learns from, and what it suggested per ticket.

-- Each training run stores a model; the newest one is in use.
CREATE TABLE hotline_classifier_models (
  id            bigserial PRIMARY KEY,
  -- naive Bayes counts (ClassifierJSON), so later examples can be added without the old ones
  model         jsonb NOT NULL,
  trained_at    timestamptz NOT NULL,
  example_count integer NOT NULL CHECK (example_count >= 0),
  -- 5-fold cross-validated accuracy on the examples it was trained on, 0..1
  accuracy      double precision NOT NULL CHECK (accuracy BETWEEN 0 AND 1)
);

-- Labelled tickets beyond the built-in examples: imported ones ('seed') and the operator's corrections ('operator').
CREATE TABLE hotline_classifier_examples (
  id         bigserial PRIMARY KEY,
  text       text NOT NULL,
  label      text NOT NULL,
  source     text NOT NULL CHECK (source IN ('seed', 'operator')),
  ticket_id  bigint REFERENCES hotline_tickets (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- What the classifier suggested at intake, and whether the operator chose another category.
ALTER TABLE hotline_tickets
  ADD COLUMN suggested_category_id bigint REFERENCES hotline_categories (id),
  ADD COLUMN suggestion_confidence double precision CHECK (suggestion_confidence BETWEEN 0 AND 1),
  ADD COLUMN category_corrected    boolean,
  -- the emergency service the call is to be transferred to (110 police, 119 fire, 120 medical); shown, not dialled
  ADD COLUMN emergency_kind        text CHECK (emergency_kind IN ('fire', 'police', 'medical')),
  ADD COLUMN transfer_to           text CHECK (transfer_to IN ('110', '119', '120'));
