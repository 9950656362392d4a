# Reference solution: label selectors.
kubectl get pods --show-labels
kubectl get pods -l app=demoapp
kubectl get pods -l app=mypod,release=canary --show-labels
kubectl get pods -l 'release!=canary' --show-labels
kubectl label pods -l 'release!=canary' audit=yes
kubectl get pods -l 'app in (mypod,demoapp)' --show-labels
kubectl label pods -l 'app in (mypod,demoapp)' tier=frontend
kubectl get pods -l 'app notin (mypod,demoapp)' --show-labels
kubectl label pods -l 'app notin (mypod,demoapp)' team=ops
kubectl get pods -l app --show-labels
kubectl get pods -l '!app' --show-labels
kubectl label pods -l '!app' orphan=true
