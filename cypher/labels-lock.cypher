// importLabels, addLabel, removeLabel: locks the label id sequence, so that label writes run one at a time
// (ids stay dense and increasing, and "is this label already active?" cannot race); returns the last id used.
// $params: none
MERGE (s:Sequence {name: 'label'})
  ON CREATE SET s.last = 0
// Writing a property takes the node's write lock, held until commit; s.last is read after it, so it is current.
SET s._lock = true
REMOVE s._lock
RETURN s.last AS last
