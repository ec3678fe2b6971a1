-- A retrained classifier is compared with the one in use on the operators' corrections neither was trained
-- on (shadow evaluation) before it replaces it: every run is kept, the newest promoted one is in use.
ALTER TABLE hotline_classifier_models
  ADD COLUMN promoted   boolean NOT NULL DEFAULT true,
  -- cross-validated figures (accuracy at the leaf and first level, macro-F1, calibration, the 不确定 threshold)
  -- and the shadow comparison that decided `promoted`
  ADD COLUMN evaluation jsonb;

-- Naive Bayes models were trained on the earlier category tree: the next use trains the linear model on the new one.
UPDATE hotline_classifier_models SET promoted = false WHERE model->>'format' = 'yiwang.hotline.classifier.nb/1';

CREATE INDEX hotline_classifier_models_promoted ON hotline_classifier_models (id DESC) WHERE promoted;
