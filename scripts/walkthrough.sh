#!/usr/bin/env bash
# Drives the wizard in a real terminal (tmux) and captures the screens the README shows:
# WALK_DIR/screen1.txt … screen4.txt. Needs tmux; run after `npm run build`.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WALK_DIR=${WALK_DIR:-/tmp/walk}
mkdir -p "$WALK_DIR" && rm -f "$WALK_DIR/backend-values.yaml"
# Its own tmux session (WALK_SESSION): another running walkthrough keeps its own.
S=${WALK_SESSION:-walk-$$}
tmux kill-session -t $S 2>/dev/null
tmux new-session -d -s $S -x 100 -y 42 "cd ${WALK_DIR:-/tmp/walk} && node ${ROOT}/bin/substra-deploy.js init; sleep 60"
wait_for() { for i in $(seq 1 100); do tmux capture-pane -J -t $S -p | grep -qF -- "$1" && return 0; sleep 0.1; done; echo "TIMEOUT $1" >&2; }
send() { wait_for "$1"; sleep 0.2; tmux send-keys -t $S "$2"; }
send 'Organization name' 'ingen'; tmux send-keys -t $S Enter
send 'MSP ID' ''; tmux send-keys -t $S Enter
send 'Host domain' 'Cluster-1.example.com'; tmux send-keys -t $S Enter
wait_for 'must be lowercase'; tmux capture-pane -J -t $S -p > ${WALK_DIR:-/tmp/walk}/screen1.txt
for i in $(seq 1 30); do tmux send-keys -t $S BSpace; done; tmux send-keys -t $S 'cluster-1.example.com' Enter
send 'Backend subdomain' ''; tmux send-keys -t $S Enter
send 'Create an ingress' ''; tmux send-keys -t $S Enter
send 'Ingress host name' ''; tmux send-keys -t $S Enter
send 'URL peers call' ''; tmux send-keys -t $S Enter
send 'Hosts the backend answers for' ''; tmux send-keys -t $S Enter
send 'Ingress class' 'nginx'; tmux send-keys -t $S Enter
send 'Largest upload' ''; tmux send-keys -t $S Enter
send 'ClusterIssuer for HTTPS' 'letsencrypt-prod'; tmux send-keys -t $S Enter
send 'TLS Secret for HTTPS' ''; tmux send-keys -t $S Enter
send 'Orchestrator host' 'orchestrator.cluster-1.example.com'; tmux send-keys -t $S Enter
send 'same cluster' ''; tmux send-keys -t $S Enter
send 'use TLS' 'y'; tmux send-keys -t $S Enter
send 'Orchestrator port' ''; tmux send-keys -t $S Enter
send 'Channel name' 'our-channel'; tmux send-keys -t $S Enter
send 'restricted to this' ''; tmux send-keys -t $S Enter
send 'download models' 'y'; tmux send-keys -t $S Enter
send 'Add another channel' ''; tmux send-keys -t $S Enter
send 'holding the orchestrator CA' ''; tmux send-keys -t $S Enter
send 'client certificate (mTLS)' ''; tmux send-keys -t $S Enter
send 'Add a user' ''; tmux send-keys -t $S Enter
send 'User name' 'admin'; tmux send-keys -t $S Enter
send 'Password for admin' ''; tmux send-keys -t $S Down Enter
send '? Password' 'password1234'; tmux send-keys -t $S Enter
wait_for 'the backend would refuse it'; tmux capture-pane -J -t $S -p > ${WALK_DIR:-/tmp/walk}/screen2.txt
for i in $(seq 1 20); do tmux send-keys -t $S BSpace; done; tmux send-keys -t $S 'Vivid-Lantern-Orbit-2026-x' Enter
send 'Repeat the password' 'Vivid-Lantern-Orbit-2026-x'; tmux send-keys -t $S Enter
send 'Add another user' ''; tmux send-keys -t $S Enter
send 'Add an incoming organization' ''; tmux send-keys -t $S Enter
send 'Add an outgoing organization' ''; tmux send-keys -t $S Enter
wait_for 'Write backend-values.yaml?'; tmux capture-pane -J -t $S -p -S -60 > ${WALK_DIR:-/tmp/walk}/screen3.txt
tmux send-keys -t $S Enter
send 'Deploy it to the cluster now' ''; tmux send-keys -t $S Enter
wait_for 'deploy later with'; tmux capture-pane -J -t $S -p -S -40 > ${WALK_DIR:-/tmp/walk}/screen4.txt
tmux kill-session -t $S
