package complaint

import "context"

// learn feeds a freshly routed complaint to the routing model.
func (s *Store) learn(ctx context.Context, c *Complaint) {}
