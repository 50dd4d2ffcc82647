"""Files on disk: folders, config, routine files, the session and break logs
and the caches derived from them. Knows no screen and computes no figure;
of the core it uses only the data types in `supple.core.model`.
"""
