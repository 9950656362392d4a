# Reference solution: labels and label management.
kubectl get node/master01 --show-labels
kubectl get pods --show-labels
kubectl label pod/lifecycle-demo release=alpha
kubectl label pod/init-container-demo environment=dev
kubectl label node/node01 disktype=ssd
kubectl label pod/mypod release=stable
kubectl label pod/mypod release=stable --overwrite
kubectl label pod/liveness-exec-demo release-
kubectl label pod/liveness-exec-demo release-
kubectl get pods --show-labels
