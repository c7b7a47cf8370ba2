"""The runner on top: the command line, the cache, the incremental pipeline, parallel and Dask
execution, provenance and notebook execution. The only layer that knows files on disk beyond
the input folder, and the only one that imports the cache.
"""
