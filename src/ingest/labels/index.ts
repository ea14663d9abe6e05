/** Label importers: OFAC SDN lists and GraphSense TagPacks -> `Label[]` for `GraphWriter.importLabels`. */
export { chainForCurrency, type CurrencyChain } from './currency-chain.js';
export { mergeLabelImports, type LabelImport, type SkipCount } from './label-import.js';
export { currencyFromOfacFileName, OFAC_LABEL, OFAC_SOURCE, parseOfacAddressList } from './ofac-address-list.js';
export { parseOfacCsv } from './ofac-csv.js';
export { detectOfacFormat, readLabelFile, type LabelFileKind } from './read-label-file.js';
export { parseTagPack, tagPackSource } from './tagpack.js';
export { categoryOfConcept, categoryOfConcepts, GRAPHSENSE_CONFIDENCE } from './tagpack-taxonomy.js';
