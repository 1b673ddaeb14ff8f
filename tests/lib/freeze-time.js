'use strict';

// Loaded into `sls package` with `node --require`: the Framework's clock
// stops at 2024-01-01T00:00:00Z, so the artifact directory and the API
// Gateway deployment suffix are the same in every run
// (docs/compile.md, "Placeholders").

const FIXED = Date.UTC(2024, 0, 1);
const RealDate = Date;
global.Date = class extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(FIXED);
    else super(...args);
  }

  static now() {
    return FIXED;
  }
};
