// A stand-in scan worker for pool tests that cannot start (as a worker whose modules fail to load).
throw new Error('this worker cannot load');
