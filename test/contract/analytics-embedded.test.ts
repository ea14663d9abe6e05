import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { defineAnalyticsContract } from './analytics.contract.js';

defineAnalyticsContract('embedded', { open: () => openEmbeddedStore({ dir: ':memory:' }) });
