"""A two-layer GCN-style message-passing network on a small synthetic graph, trained with
optax.adam for node classification (the JAX side of the gnn example, examples/.../Gnn.java, checked by GnnTest).

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/port/gnn.py -o engine/src/test/resources/port/gnn.json

Everything comes from jax.random.key(0): the edge list (randint), the node features (normal),
the labels (argmax of a random projection of the features averaged over in-neighbours), the
train mask (bernoulli) and the weights (jax.nn.initializers). One jitted step, f32, 150 steps.
"""

import jax
import jax.numpy as jnp
import optax

from port_common import checksum, out_path, write

NODES, EDGES, FEATURES, HIDDEN, CLASSES = 200, 800, 8, 16, 3
STEPS, LR = 150, 1e-2


def graph(key):
    k_send, k_recv, k_x, k_proj, k_mask = jax.random.split(key, 5)
    senders = jax.random.randint(k_send, (EDGES,), 0, NODES)
    receivers = jax.random.randint(k_recv, (EDGES,), 0, NODES)
    x = jax.random.normal(k_x, (NODES, FEATURES))
    # in-degree + 1 (a self loop), the GCN's mean-aggregation denominator
    degree = jax.ops.segment_sum(jnp.ones(EDGES), receivers, NODES) + 1.0
    smoothed = (jax.ops.segment_sum(x[senders], receivers, NODES) + x) / degree[:, None]
    labels = jnp.argmax(smoothed @ jax.random.normal(k_proj, (FEATURES, CLASSES)), axis=-1)
    train = jax.random.bernoulli(k_mask, 0.6, (NODES,))
    return dict(senders=senders, receivers=receivers, x=x, degree=degree, labels=labels, train=train)


def init(key):
    k1, k2, k3, k4 = jax.random.split(key, 4)
    glorot = jax.nn.initializers.glorot_uniform()
    lecun = jax.nn.initializers.lecun_normal()
    return {"conv1": {"w_neigh": glorot(k1, (FEATURES, HIDDEN)), "w_self": lecun(k2, (FEATURES, HIDDEN)),
                      "b": jnp.zeros(HIDDEN)},
            "conv2": {"w_neigh": glorot(k3, (HIDDEN, CLASSES)), "w_self": lecun(k4, (HIDDEN, CLASSES)),
                      "b": jnp.zeros(CLASSES)}}


def conv(p, h, g):
    messages = h[g["senders"]] @ p["w_neigh"]
    aggregated = jax.ops.segment_sum(messages, g["receivers"], NODES) / g["degree"][:, None]
    return aggregated + h @ p["w_self"] + p["b"]


def loss_fn(params, g):
    h = jax.nn.relu(conv(params["conv1"], g["x"], g))
    logits = conv(params["conv2"], h, g)
    per_node = optax.softmax_cross_entropy_with_integer_labels(logits, g["labels"])
    mask = g["train"].astype(jnp.float32)
    return jnp.sum(per_node * mask) / jnp.sum(mask)


def main():
    path = out_path("engine/src/test/resources/port/gnn.json")
    k_graph, k_init = jax.random.split(jax.random.key(0))
    g = graph(k_graph)
    params = init(k_init)
    optimizer = optax.adam(LR)
    opt_state = optimizer.init(params)

    @jax.jit
    def step(params, opt_state):
        loss, grads = jax.value_and_grad(loss_fn)(params, g)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    checks = {"senders_sum": int(g["senders"].sum()), "receivers_sum": int(g["receivers"].sum()),
              "x": checksum(g["x"]), "labels_sum": int(g["labels"].sum()), "train_count": int(g["train"].sum()),
              "init": checksum(params)}
    losses = []
    for _ in range(STEPS):
        params, opt_state, loss = step(params, opt_state)
        losses.append(loss)
    checks["final"] = checksum(params)
    write(path, "gnn", losses, checks)


if __name__ == "__main__":
    main()
