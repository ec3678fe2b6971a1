/**
 * The entity-resolution engine of the base libraries (人口库, 法人库): cleaning, a Fellegi–Sunter model trained
 * by EM, blocking, scoring with explanations, clustering and golden records. Pure functions over arrays of
 * records, so the registry module, the command line and the benchmarks run the same pipeline.
 */
export { codePrefix, divisionIndex, parseAddress, type DivisionEntry, type DivisionIndex, type ParsedAddress } from './address.ts';
export {
  cleanRecord, cleanRecords, type CleanOptions, type CleanRecord, type CleanResult, type CleanStep, type CleanSummary, type Feature,
  type Finding, type FindingCode, type RawRecord, type RawValues, type StepRecord,
} from './clean.ts';
export { clusterPairs, identitiesOf, type ClusterOptions, type Clustering } from './cluster.ts';
export { entityPairs, pairQuality, type PairQuality } from './evaluate.ts';
export { goldenRecord, type Conflict, type GoldenRecord, type GoldenRules, type GoldenValue, type SurvivorshipRule } from './golden.ts';
export { IncrementalMatcher } from './incremental.ts';
export {
  blockedPairs, defaultBlockingRules, explainPair, keyFunction, scorePairs, scorer, trainModel, type BlockingOptions, type BlockingRule,
  type FieldPart, type KeyPart, type Label, type MatchModel, type PairExplanation, type ScoredPair, type Scorer, type TrainOptions,
} from './model.ts';
export {
  companySchema, comparisonLevels, librarySchemas, personSchema, type FieldSpec, type FieldType, type LibraryName, type LibrarySchema,
} from './schema.ts';
export { resolveRecords, type Resolution, type ResolveOptions, type Stage } from './pipeline.ts';
export { departments, generatePersonRecords, type GenerateOptions } from './synthetic.ts';
export { registryMatchCli, runMatch, type MatchCommandOptions, type MatchRun } from './cli.ts';
