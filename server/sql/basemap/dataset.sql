-- What data set is loaded: the demo county's label and parameters, if it is the demo.
SELECT value FROM dataset_info WHERE key = 'demo'
