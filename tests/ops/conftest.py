"""The operations tests' fixtures, from the module that also starts their servers."""
from ops_servers import key_prefix, shared_redis_url

__all__ = ["key_prefix", "shared_redis_url"]
