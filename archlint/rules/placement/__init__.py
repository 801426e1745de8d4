"""Rules on where workloads run: placement across grid, cloud, edge and AI infrastructure, simplicity, roadmap."""
