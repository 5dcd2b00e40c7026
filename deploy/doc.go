// Package deploy holds recipes for running gwf sweep studies on batch
// systems: kubernetes/ (an Indexed Job of shards, and workers as a
// Deployment beside NATS) and slurm/ (an array job script). Its tests
// parse the recipes and run the commands they hold.
package deploy
