// Integration and browser tests start real servers and a real browser: give them room on a 2-core machine.
jest.setTimeout(120000);
