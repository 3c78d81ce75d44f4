import base from './eslint.config.mjs';
export default [...base, { files: ['tests/browser/**/*.{ts,tsx}'] }];
