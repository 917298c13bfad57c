"""The transparency log without a framework: RFC 9162 Merkle tree hashing and proofs, signed
checkpoints in the C2SP note format, RFC 8785 canonical JSON, and the client and monitor that
check a log from outside.

Nothing here imports Django or any other part of Pregón (an import contract in `make lint`
checks it), so `pregon verify`, a witness on another instance and the benchmarks use it alone.
The database side (leaves, nodes, the signer key, HTTP) is the `pregon.ledger` app.
"""
