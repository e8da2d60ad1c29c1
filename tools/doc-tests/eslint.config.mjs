import base from '../../eslint.config.mjs';

// .generated/ holds the snippets as the runner writes them: the docs' code, not this package's.
export default [...base, { ignores: ['.generated/**'] }];
